import type { NavIconName } from './nav-icons';

export interface NavItem {
  readonly href: string;
  readonly label: string;
  readonly icon: NavIconName;
}

/** The left navigation, in order. Only pages that work are listed: adding one is one line. */
export const NAV_ITEMS: readonly NavItem[] = [
  { href: '/catalog', label: 'Catalog', icon: 'catalog' },
  { href: '/summaries', label: 'Summaries', icon: 'summaries' },
  { href: '/audit', label: 'Audit log', icon: 'audit' },
];
