export * from './oauth-server-emulator';
export * from './raw-smtp-recorder';
export * from './smtp-test-server';
export * from './tarpit';
export * from './test-certificate';
export * from './vendor-emulator';
export * from './secret-echoes';
