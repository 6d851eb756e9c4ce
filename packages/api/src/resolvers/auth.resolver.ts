import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { LoginGuard } from '../auth/login-guard';
import { sessionCookieOptions, SESSION_COOKIE } from '../auth/session-cookie';
import { SessionService } from '../auth/session.service';
import { normalizeEmail, UserService } from '../auth/user.service';
import type { Context } from '../context';
import type { UserEntity } from '../entities/user.entity';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { User } from './types/user.type';

/** Longer than any real password; not worth hashing. */
const LONGEST_PASSWORD_CHECKED = 1024;

@Resolver()
export class AuthResolver {
  @Query(() => User, { nullable: true, description: 'The signed-in user; null without a session.' })
  async me(@Ctx() ctx: Context): Promise<UserEntity | null> {
    if (ctx.auth.kind !== 'session') return null;
    return ctx.services.get(UserService).findById(ctx.auth.user.id);
  }

  @Mutation(() => User, { description: 'Signs in and sets an httpOnly session cookie.' })
  async login(
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
    @Ctx() ctx: Context,
  ): Promise<UserEntity> {
    const { services, http } = ctx;
    const ip = http.ip;
    const account = normalizeEmail(email);
    const guard = services.get(LoginGuard);
    await guard.beginAttempt(account, ip);
    const user =
      password.length <= LONGEST_PASSWORD_CHECKED
        ? await services.get(UserService).checkCredentials(account, password)
        : null;
    if (!user) {
      ctx.log().info({ ip }, 'failed login');
      throw new UnauthenticatedError('The email or password is not right; check both and try again.');
    }
    await guard.succeeded(account, ip);
    if (ctx.auth.kind === 'session') await services.get(SessionService).revoke(ctx.auth.sessionTokenHash);
    const session = await services.get(SessionService).create(user.id);
    http.setCookie(
      SESSION_COOKIE,
      session.token,
      sessionCookieOptions(services.config, http.secure, session.expiresAt),
    );
    ctx.log().info({ userId: user.id }, 'signed in');
    return user;
  }

  @Mutation(() => Boolean, {
    description: 'Ends the session and clears its cookie. True even without a session.',
  })
  async logout(@Ctx() ctx: Context): Promise<boolean> {
    if (ctx.auth.kind === 'session') await ctx.services.get(SessionService).revoke(ctx.auth.sessionTokenHash);
    ctx.http.clearCookie(SESSION_COOKIE, sessionCookieOptions(ctx.services.config, ctx.http.secure));
    return true;
  }

  @Authorized()
  @Mutation(() => User, { description: 'Sets the language of the signed-in user: en or tr.' })
  async setMyLocale(@Arg('locale', () => String) locale: string, @Ctx() ctx: Context): Promise<UserEntity> {
    if (ctx.auth.kind !== 'session')
      throw new ForbiddenError('Only a signed-in user has a language setting.');
    return ctx.services.get(UserService).setLocale(ctx.auth.user.id, locale, ctx.auth);
  }
}
