import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { UserService } from '../auth/user.service';
import type { Context } from '../context';
import type { UserEntity } from '../entities/user.entity';
import { CreateUserInput } from './types/user.input';
import { User } from './types/user.type';

@Resolver()
export class UserResolver {
  @Authorized('ADMIN')
  @Query(() => [User], { description: 'Every user. Administrators only.' })
  users(@Ctx() ctx: Context): Promise<UserEntity[]> {
    return ctx.services.get(UserService).list();
  }

  @Authorized('ADMIN')
  @Mutation(() => User, { description: 'Creates a user with a role. Administrators only.' })
  createUser(
    @Arg('input', () => CreateUserInput) input: CreateUserInput,
    @Ctx() ctx: Context,
  ): Promise<UserEntity> {
    return ctx.services.get(UserService).create(
      {
        email: input.email,
        password: input.password,
        role: input.role,
        ...(input.locale ? { locale: input.locale } : {}),
      },
      ctx.auth,
    );
  }
}
