import { EpochMs, Id, Int, PageNo, PageSize, Strict, Text, Type } from '../../platform/http/schema.js';
import type { AccessKeyRow, DeveloperRow, SubAccountRow } from './accounts.repo.js';

/** Response shapes are built from rows by these functions, so secret columns can never leak. */
export const SubAccount = Type.Object(
  {
    userId: Id('The sub-account id, sent as the user-id header', '1795432287562383361'),
    name: Text('Display name', 64, 'Hanoi store'),
    outMemberId: Type.Union([Text("The developer's own id for this sub-account", 64, 'shop-17'), Type.Null()]),
    mainAccount: Type.Boolean({ description: "True for the developer's main account" }),
    status: Type.Union([Type.Literal('active'), Type.Literal('disabled')], {
      description: 'Disabled sub-accounts are refused with 40301',
    }),
    createTime: EpochMs('Creation time'),
    updateTime: EpochMs('Last change'),
  },
  { description: 'A sub-account of the developer' },
);

export function toSubAccount(row: SubAccountRow) {
  return {
    userId: row.user_id,
    name: row.name,
    outMemberId: row.out_member_id,
    mainAccount: row.is_main === 1,
    status: row.status,
    createTime: row.created_at,
    updateTime: row.updated_at,
  };
}

export const SubAccountPage = Type.Object({
  list: Type.Array(SubAccount),
  total: Int('Number of sub-accounts visible to the caller', 0, 1_000_000_000),
  pageNo: Int('This page', 1, 100_000),
  pageSize: Int('Page size', 1, 50),
});

export const AccessKeyInfo = Type.Object(
  {
    accessKey: Text('The access key (32 hex)', 32, '58c0201dfdf148eca63cbf6bb5e7cf03'),
    label: Type.Union([Text('Operator note', 64), Type.Null()]),
    status: Type.Union([Type.Literal('active'), Type.Literal('revoked')]),
    legacyMd5: Type.Boolean({ description: 'Whether the legacy MD5 signature is accepted for this key' }),
    nonceless: Type.Boolean({
      description: 'Whether v2 requests signed without `nonce-str` are accepted for this key (each signature once)',
    }),
    createTime: EpochMs('Issued at'),
    rotateTime: Type.Union([EpochMs('Last rotation'), Type.Null()]),
    previousSecretExpireTime: Type.Union([EpochMs('Until when the previous secret still verifies'), Type.Null()]),
    revokeTime: Type.Union([EpochMs('Revoked at'), Type.Null()]),
  },
  { description: 'An access key, without its secret' },
);

export function toAccessKeyInfo(row: AccessKeyRow) {
  return {
    accessKey: row.access_key,
    label: row.label,
    status: row.status,
    legacyMd5: row.legacy_md5 === 1,
    nonceless: row.nonceless === 1,
    createTime: row.created_at,
    rotateTime: row.rotated_at,
    previousSecretExpireTime: row.previous_secret_sealed ? row.previous_expires_at : null,
    revokeTime: row.revoked_at,
  };
}

export const Developer = Type.Object({
  developId: Id('Developer id'),
  name: Text('Company or developer name', 128, 'Saigon Sourcing Co.'),
  email: Type.Union([Text('Contact e-mail', 254, 'ops@example.com'), Type.Null()]),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')], {
    description: "Disabled developers' keys are refused",
  }),
  createTime: EpochMs('Creation time'),
  updateTime: EpochMs('Last change'),
});

export function toDeveloper(row: DeveloperRow) {
  return {
    developId: row.id,
    name: row.name,
    email: row.email,
    status: row.status,
    createTime: row.created_at,
    updateTime: row.updated_at,
  };
}

export const IssuedKey = Type.Object({
  accessKey: Text('The access key', 32, '58c0201dfdf148eca63cbf6bb5e7cf03'),
  accessSecret: Text('The secret: shown once, store it now', 64, 'q5m1r6Y0m8xJ3VfZ7a9b2c4d6e8f0g1h'),
});

export const SubAccountInput = Strict({
  name: Text('Display name', 64, 'Hanoi store', 1),
  outMemberId: Type.Optional(Text('Your own id for this sub-account, unique among yours', 64, 'shop-17', 1)),
});

export const Paging = Type.Object({ pageNo: PageNo, pageSize: PageSize });
