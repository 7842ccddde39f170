'use client';

import '../lib/zod-without-eval';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { useState, type ReactNode } from 'react';
import type { AppRouter } from '../../server/api/root';
import { fetchNotingServerDate } from '../lib/server-clock';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

// Same origin as the page: server/main.ts serves both, and the session cookie rides along.
const API_URL = '/api/trpc';

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // A missing or forbidden notebook will not appear by asking again, and a rate limit only counts the retry.
        retry: (failures, error) => failures < 2 && !isPermanent(error),
        refetchOnWindowFocus: false,
      },
    },
  });
}

function isPermanent(error: unknown): boolean {
  const code = (error as { data?: { code?: string } } | null)?.data?.code;
  return code === 'NOT_FOUND' || code === 'FORBIDDEN' || code === 'UNAUTHORIZED' || code === 'BAD_REQUEST' || code === 'TOO_MANY_REQUESTS';
}

export function ApiProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: httpSubscriptionLink({ url: API_URL }),
          false: httpBatchLink({ url: API_URL, fetch: fetchNotingServerDate }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
