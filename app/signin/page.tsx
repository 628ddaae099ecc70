import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { safeNextPath } from '@/lib/auth/public-paths';
import { SignInForm } from '@/components/auth/sign-in-form';
import { TallyLogo } from '@/components/shell/tally-logo';
import { ThemeToggle } from '@/components/shell/theme-toggle';
import { buttonClass } from '@/components/ui/button-class';
import { currentUser } from '@/app/_server/page-user';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const raw = (await searchParams).next;
  const next = safeNextPath(typeof raw === 'string' ? raw : undefined);
  const user = await currentUser();
  if (user && !user.demo) redirect(next);

  return (
    <div className="flex min-h-screen flex-col bg-zinc-50 dark:bg-zinc-950">
      <div className="flex justify-end p-4">
        <ThemeToggle />
      </div>
      <main className="flex flex-1 items-start justify-center px-4 pt-[12vh]">
        <div className="w-full max-w-sm">
          <div className="mb-6 flex flex-col items-center gap-3 text-center">
            <TallyLogo className="size-10" />
            <h1 className="text-xl font-semibold tracking-tight">Sign in to Tally</h1>
          </div>
          <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
            {user?.demo ? (
              <div className="space-y-4 text-sm text-zinc-600 dark:text-zinc-300">
                <p>
                  Sign-in is off: the console runs in demo mode on loopback. Set TALLY_PASSWORD to
                  require a password.
                </p>
                <Link href={next} className={buttonClass('primary', 'w-full py-2')}>
                  Continue to the console
                </Link>
              </div>
            ) : (
              <SignInForm next={next} />
            )}
          </div>
        </div>
      </main>
    </div>
  );
}
