import { redirect } from 'next/navigation';

/** The catalog is the console's start page until there are summaries to show. */
export default function Home(): never {
  redirect('/catalog');
}
