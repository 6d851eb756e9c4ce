import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { UserService } from '../auth/user.service';
import type { Context } from '../context';
import type { UserEntity } from '../entities/user.entity';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import {
  UserManagementService,
  type UserPasswordReset as PasswordReset,
  type UserRemoved as Removed,
} from '../services/user-management.service';
import { CreateUserInput } from './types/user.input';
import { UserCreated, UserPasswordReset, UserRemoved } from './types/user-management.type';
import { User, UserRoleValue } from './types/user.type';

@Resolver()
export class UserResolver {
  @Authorized('ADMIN')
  @Query(() => [User], { description: 'Every user. Administrators only.' })
  users(@Ctx() ctx: Context): Promise<UserEntity[]> {
    return ctx.services.get(UserService).list();
  }

  @Authorized('ADMIN')
  @Mutation(() => UserCreated, {
    description:
      'Creates a user with a role, and a one-time password unless one is given. Administrators only.',
  })
  async createUser(
    @Arg('input', () => CreateUserInput) input: CreateUserInput,
    @Ctx() ctx: Context,
  ): Promise<UserEntity & { user: UserEntity; oneTimePassword: string | null }> {
    const created = await ctx.services.get(UserManagementService).create(input, ctx.auth);
    return { ...created.user, user: created.user, oneTimePassword: created.oneTimePassword };
  }

  @Authorized('ADMIN')
  @Mutation(() => User, {
    description: 'Gives a user another role. The last administrator keeps theirs. Administrators only.',
  })
  setUserRole(
    @Arg('id', () => ID) id: string,
    @Arg('role', () => UserRoleValue) role: string,
    @Ctx() ctx: Context,
  ): Promise<UserEntity> {
    return ctx.services.get(UserManagementService).setRole(id, role, ctx.auth);
  }

  @Authorized('ADMIN')
  @Mutation(() => UserPasswordReset, {
    description:
      'Gives a user a one-time password, returned this once, that they must replace at their next sign-in; ends their sessions. Administrators only.',
  })
  resetUserPassword(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<PasswordReset> {
    return ctx.services.get(UserManagementService).resetPassword(id, ctx.auth);
  }

  @Authorized('ADMIN')
  @Mutation(() => Int, {
    description: 'Signs a user out everywhere; returns how many sessions ended. Administrators only.',
  })
  endUserSessions(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<number> {
    return ctx.services.get(UserManagementService).endSessions(id, ctx.auth);
  }

  @Authorized('ADMIN')
  @Mutation(() => UserRemoved, {
    description:
      'Removes a user, ends their sessions and revokes the API tokens they created. The last administrator stays. Administrators only.',
  })
  removeUser(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Removed> {
    return ctx.services.get(UserManagementService).remove(id, ctx.auth);
  }

  // Not @Authorized: it is the one operation a user who must change their password may call.
  @Mutation(() => User, {
    description:
      'Sets a new password for the signed-in user, who proves the current one; lifts mustChangePassword and ends their other sessions.',
  })
  changeMyPassword(
    @Arg('currentPassword', () => String) currentPassword: string,
    @Arg('newPassword', () => String) newPassword: string,
    @Ctx() ctx: Context,
  ): Promise<UserEntity> {
    if (ctx.auth.kind === 'anonymous') throw new UnauthenticatedError();
    if (ctx.auth.kind !== 'session') {
      throw new ForbiddenError('API tokens have no password; sign in to change yours.');
    }
    return ctx.services
      .get(UserService)
      .changeOwnPassword(ctx.auth, { current: currentPassword, new: newPassword }, ctx.http.ip);
  }
}
