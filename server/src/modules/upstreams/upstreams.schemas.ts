import { EpochMs, Type } from '../../platform/http/schema.js';

/** The platforms as the routes' paths name them. */
export const PlatformParams = Type.Object({
  platform: Type.Union([Type.Literal('1688'), Type.Literal('taobao')], {
    description: 'The platform: `1688` or `taobao`',
    examples: ['1688'],
  }),
});

const NullableText = (description: string, example: string) =>
  Type.Union([Type.String({ examples: [example] }), Type.Null()], { description });
const NullableTime = (description: string) => Type.Union([EpochMs(description), Type.Null()], { description });

/** A platform's upstream and its token, never the token itself. */
export const UpstreamStatus = Type.Object({
  platform: Type.Union([Type.Literal('1688'), Type.Literal('taobao')], { description: 'The platform' }),
  mode: Type.Union([Type.Literal('sandbox'), Type.Literal('aop'), Type.Literal('taobao-global')], {
    description: 'What answers for it: the sandbox market, 1688’s open platform (AOP) or Taobao Global (IOP)',
  }),
  token: Type.Union([Type.Literal('none'), Type.Literal('configured'), Type.Literal('stored')], {
    description:
      'Where its access token comes from: `none` (the sandbox needs none), `configured` (AOP_ACCESS_TOKEN, used as ' +
      'it is) or `stored` (authorised by the account owner, refreshed by Ponte); the fields below are for `stored`',
  }),
  upstream: Type.Optional(Type.String({ description: 'The upstream’s name', examples: ['aop'] })),
  authorized: Type.Optional(Type.Boolean({ description: 'Whether an account owner has authorised Ponte' })),
  owner: Type.Optional(NullableText('The account the token acts for (its id at the upstream)', 'b2b-2207000001')),
  ownerLogin: Type.Optional(NullableText('The account’s login name', 'ponte-buyer')),
  expiresAt: Type.Optional(NullableTime('When the access token expires (epoch ms)')),
  refreshExpiresAt: Type.Optional(NullableTime('When the refresh token expires (epoch ms); null when not told')),
  authorizedAt: Type.Optional(NullableTime('When the owner last authorised (epoch ms)')),
  refreshedAt: Type.Optional(NullableTime('When the token was last refreshed (epoch ms); null before the first')),
});

export const AuthorizationStarted = Type.Object({
  url: Type.String({
    description: 'Open it in the browser of the account owner: the upstream asks them to authorise Ponte',
    examples: ['https://auth.1688.com/oauth/authorize?client_id=8123456&site=1688&redirect_uri=…&state=…'],
  }),
  state: Type.String({ description: 'The one-time state the browser brings back', examples: ['N2s0x…'] }),
  redirectUri: Type.String({
    description: 'Where the upstream sends the browser back (it must be reachable from the owner’s browser)',
    examples: ['https://ponte.example.com/upstream/oauth/1688/callback'],
  }),
  expiresAt: EpochMs('Until when the state is accepted'),
});
