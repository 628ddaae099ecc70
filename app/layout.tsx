import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { QueryProvider } from '@/components/query/query-provider';
import { THEME_SCRIPT } from '@/components/shell/theme';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Tally', template: '%s · Tally' },
  description: 'PostgreSQL summary tables kept exact by generated triggers',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The head script sets the theme class before hydration, hence suppressHydrationWarning.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        <QueryProvider>{children}</QueryProvider>
      </body>
    </html>
  );
}
