/**
 * The Ponte SDK: a typed, signing client of the Ponte (PandaPon-compatible) API, the operator
 * client, the errors both throw, and the signature functions the server shares.
 */
export {
  type AccessKeyInfo,
  type AccountStatus,
  type AdminCreateSubAccountInput,
  AdminDevelopers,
  AdminKeys,
  type AdminPagingParams,
  type AdminSubAccount,
  type AdminSubAccountPage,
  AdminUsers,
  type CreateDeveloperInput,
  type CreatedDeveloper,
  type Developer,
  type DeveloperPage,
  type DeveloperWithKeys,
  type IssuedKey,
  PonteAdminClient,
  type PonteAdminClientOptions,
  type RotatedKey,
} from './admin.js';
export {
  type CallOptions,
  type CreateSubAccountInput,
  type Envelope,
  encodeQuery,
  type MutationOptions,
  type OperationBody,
  type OperationData,
  type OperationQuery,
  type PagingParams,
  PonteClient,
  type PonteClientOptions,
  type Query,
  type QueryValue,
  type RequestOptions,
  type SubAccount,
  type SubAccountPage,
  type TransportOptions,
  UsersResource,
} from './client.js';
export { ApiError, type ApiErrorFields, NetworkError, NOT_AN_ENVELOPE } from './errors.js';
export type { components, operations, paths } from './generated/openapi.js';
export {
  AlibabaGoods,
  type AlibabaProductDetail,
  type AlibabaSearchPage,
  TaobaoGoods,
  type TaobaoProduct,
  type TaobaoSearchPage,
} from './goods.js';
export {
  AdminSandbox,
  type SandboxAdvance,
  type SandboxClock,
  type SandboxEvent,
  type SandboxEventQuery,
  type SandboxFault,
  type SandboxFaultInput,
  type SandboxOrder,
  type SandboxPlatform,
  type SandboxRefund,
  type SandboxReset,
  type SandboxShipInput,
  type SandboxStatus,
  type SellerPolicy,
  type SellerPolicyChange,
} from './sandbox.js';
export {
  type CanonicalInput,
  canonicalQuery,
  canonicalString,
  computeSignature,
  hmacSignature,
  md5Signature,
  newNonce,
  rfc3986,
  type SignatureMethod,
  type SignOptions,
  SYSTEM_PARAMETERS,
  sha256Hex,
  signRequest,
} from './signing.js';
export { type SignatureVector, signatureVectors } from './vectors.js';
