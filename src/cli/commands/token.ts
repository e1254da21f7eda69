/**
 * `wavegraph token --room <id> [--read-only | --owner] [--expires <hours>] [--epoch N]`:
 * print a share token for a room, signed with the server secret (WAVEGRAPH_SECRET, or
 * the one the server saved in WAVEGRAPH_DATA), for scripts and tests. The token carries
 * the room's current link epoch, read from the server's database, so it still works
 * after the owner rotated the links.
 */
import { flagBool, flagNumber, flagString, parseArgs, UsageError, type CliIO } from '../io';
import { dataDirFromEnv, loadSecret } from '../../server/secret';
import { readRoomEpoch } from '../../server/storage';
import { isRoomId, signToken, type TokenMode } from '../../server/tokens';

const USAGE = 'Usage: wavegraph token --room <id> [--read-only | --owner] [--expires <hours>] [--epoch <n>]';

export async function run(args: string[], io: CliIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const p = parseArgs(args, ['read-only', 'owner', 'help']);
    if (flagBool(p, 'help')) {
      io.out(USAGE);
      return 0;
    }
    const room = flagString(p, 'room');
    if (!room) throw new UsageError('--room is required.');
    if (!isRoomId(room)) throw new UsageError(`--room must be 1 to 64 letters, digits, "-" or "_", got "${room}".`);
    const readOnly = flagBool(p, 'read-only');
    const owner = flagBool(p, 'owner');
    if (readOnly && owner) throw new UsageError('Choose one of --read-only and --owner.');
    const hours = flagNumber(p, 'expires', { min: 0.01, max: 24 * 365 * 10 });
    const dataDir = dataDirFromEnv(env);
    const secret = loadSecret(dataDir, env, false);
    if (!secret) {
      io.err(
        `No secret: set WAVEGRAPH_SECRET, or start the server once so it saves one in ${dataDir} (or point WAVEGRAPH_DATA at the server's data folder).`,
      );
      return 1;
    }
    const mode: TokenMode = readOnly ? 'read' : owner ? 'owner' : 'edit';
    const exp = hours === undefined ? undefined : Math.floor(Date.now() / 1000 + hours * 3600);
    // Links made before the last "rotate links" are refused: sign with the room's epoch now.
    const epoch = flagNumber(p, 'epoch', { int: true, min: 0 }) ?? readRoomEpoch(dataDir, room) ?? 0;
    io.out(signToken({ room, mode, epoch, ...(exp !== undefined ? { exp } : {}) }, secret.secret));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}
