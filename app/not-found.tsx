import Link from 'next/link';
import { buttonClass } from '@/components/ui/button-class';

export default function NotFound() {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-3 px-6 text-center">
      <p className="text-sm font-semibold text-zinc-500">404</p>
      <h1 className="text-xl font-semibold">Page not found</h1>
      <Link href="/catalog" className={buttonClass('secondary')}>
        Back to the catalog
      </Link>
    </main>
  );
}
