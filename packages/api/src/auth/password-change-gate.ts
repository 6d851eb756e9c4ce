import type { Context } from '../context';
import { UserService } from './user.service';

/** One read per operation, however many authorized fields it resolves. */
const known = new WeakMap<Context, Promise<boolean>>();

/**
 * Whether the caller is signed in as a user who must replace a password an administrator generated. Read
 * from the users table on each operation, so a change of password lifts it at once in every process.
 */
export function mustChangePassword(context: Context): Promise<boolean> {
  const { auth } = context;
  if (auth.kind !== 'session') return Promise.resolve(false);
  let answer = known.get(context);
  if (!answer) {
    answer = context.services.get(UserService).mustChangePassword(auth.user.id);
    known.set(context, answer);
  }
  return answer;
}
