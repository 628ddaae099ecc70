'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { buttonClass } from '@/components/ui/button-class';

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  const router = useRouter();
  const queryClient = useQueryClient();
  const signOut = async () => {
    setPending(true);
    try {
      await fetch('/api/auth/signout', { method: 'POST', credentials: 'same-origin' });
    } finally {
      // Nothing read under the old session stays in this tab.
      queryClient.clear();
      router.replace('/signin');
      router.refresh();
    }
  };
  return (
    <button type="button" onClick={signOut} disabled={pending} className={buttonClass('ghost')}>
      Sign out
    </button>
  );
}
