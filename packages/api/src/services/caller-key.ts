import { rateLimitKey } from '../rate-limit';
import type { Caller } from './provider.service';

/** The rate-limit key of whoever calls: a user, an API token, or everyone without either. */
export function callerKey(caller: Caller): string {
  switch (caller.auth.kind) {
    case 'session':
      return rateLimitKey(`user:${caller.auth.user.id}`);
    case 'token':
      return rateLimitKey(`token:${caller.auth.token.id}`);
    case 'anonymous':
      return rateLimitKey('anonymous');
  }
}
