/** @type {import('next').NextConfig} */
const nextConfig = {
  // The web server is server/main.ts, which hands pages to Next; the training stack never
  // enters a Next bundle.
  serverExternalPackages: ['@tensorflow/tfjs', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-backend-wasm', '@electric-sql/pglite', 'postgres'],
  poweredByHeader: false,
  reactStrictMode: true,
};
export default nextConfig;
