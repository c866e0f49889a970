import type { Executor } from '../../../platform/db/database.js';
import { notFound } from '../../../platform/http/errors.js';
import { Id, Type } from '../../../platform/http/schema.js';
import { developersRepo } from '../../accounts/index.js';

/** The path params of the operator's message routes. */
export const DeveloperParams = Type.Object({ developId: Id('Developer id') });
export const MessageParams = Type.Object({ messageId: Id('Message id', '1849203311240003584') });

/** 40401 for a developer that does not exist. */
export async function requireDeveloper(db: Executor, developId: string): Promise<void> {
  if (!(await developersRepo.find(db, developId))) throw notFound('developer', developId);
}
