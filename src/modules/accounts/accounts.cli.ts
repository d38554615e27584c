// `motcua user disable|enable|revoke|require-totp|totp reset`: the accounts admin page's actions
// for the operator at the terminal (recorded in the audit log with no actor: the command line).
import { parseArgs } from 'node:util';
import { AppError } from '../../errors.ts';
import type { AccountsAdminService } from './accounts.admin.service.ts';
import { AccountError } from './accounts.service.ts';

export const userAdminUsage = `  user disable USERNAME              disable an account: every session ends at once, sign-in is refused
  user enable USERNAME               enable it again
  user revoke USERNAME ROLE [--unit UNIT_ID]
                                     remove a role (at one unit, or at every unit); gone from the next request
  user require-totp ROLE on|off      require two-step verification (TOTP) for every holder of a staff role
  user totp reset USERNAME           clear an account's two-step verification (a lost phone): set up again at next sign-in`;

export const userAdminSubcommands = ['disable', 'enable', 'revoke', 'require-totp', 'totp'] as const;

export function isUserAdminSubcommand(sub: string | undefined): sub is (typeof userAdminSubcommands)[number] {
  return (userAdminSubcommands as readonly string[]).includes(sub ?? '');
}

const words: Partial<Record<string, string>> = {
  not_found: 'no such account, or it does not hold that role',
  validation: 'unknown role',
};

/** Runs one subcommand; wrong input throws AccountError with words for the terminal. */
export async function userAdminCommand(admin: AccountsAdminService, sub: (typeof userAdminSubcommands)[number], args: string[], print: (line: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({ args, options: { unit: { type: 'string' } }, allowPositionals: true });
  const need = (n: number, shape: string) => {
    if (positionals.length !== n) throw new AccountError(`usage: motcua user ${shape}`);
  };
  try {
    switch (sub) {
      case 'disable':
      case 'enable': {
        need(1, `${sub} USERNAME`);
        const r = await admin.setDisabled(null, { username: positionals[0]!.trim().toLowerCase() }, sub === 'disable');
        print(sub === 'disable' ? `Account disabled: ${r.username} (${r.sessionsEnded} sessions ended)` : `Account enabled: ${r.username}`);
        return;
      }
      case 'revoke': {
        need(2, 'revoke USERNAME ROLE [--unit UNIT_ID]');
        const r = await admin.revoke(null, { username: positionals[0]!.trim().toLowerCase() }, positionals[1]!, values.unit);
        print(`Role revoked: ${positionals[1]} of ${r.username}${values.unit ? ` at ${values.unit}` : ''} (${r.removed} removed)`);
        return;
      }
      case 'require-totp': {
        need(2, 'require-totp ROLE on|off');
        const [role, state] = positionals as [string, string];
        if (state !== 'on' && state !== 'off') throw new AccountError('usage: motcua user require-totp ROLE on|off');
        await admin.setRolePolicy(null, role, state === 'on');
        print(`Two-step verification ${state === 'on' ? 'required' : 'no longer required'} for the ${role} role`);
        return;
      }
      case 'totp': {
        if (positionals[0] !== 'reset' || positionals.length !== 2) throw new AccountError('usage: motcua user totp reset USERNAME');
        const r = await admin.resetSecondFactor(null, { username: positionals[1]!.trim().toLowerCase() });
        print(`Two-step verification cleared for ${r.username}: it is set up again at the next sign-in`);
        return;
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw new AccountError(`user ${sub}: ${words[err.code] ?? err.code}`);
    throw err;
  }
}
