// A new password for `motcua user add`, never from the command line (other users see it in `ps`,
// the shell keeps it in its history): asked twice at a terminal, with nothing echoed; otherwise read
// from standard input, the first line, and when a second line is given it must repeat the first.

const maxInput = 4096;

/** Reads a new password; `refuse(message)` makes the error the caller reports in one line. */
export async function readNewPassword(refuse: (message: string) => Error, input: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (input.isTTY) {
    const first = await askHidden(input, 'New password: ', refuse);
    const again = await askHidden(input, 'The same password again: ', refuse);
    if (first !== again) throw refuse('the two passwords differ');
    return first;
  }
  const text = await readAll(input, refuse);
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const [first = '', second] = lines;
  if (!first) throw refuse('user add reads the password from standard input (the first line; a second line, when given, must repeat it), or asks for it at a terminal');
  if (second !== undefined && second !== '' && second !== first) throw refuse('the two password lines on standard input differ');
  return first;
}

async function readAll(input: NodeJS.ReadStream, refuse: (message: string) => Error): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.length > maxInput) throw refuse('standard input is too long for a password');
  }
  return text;
}

/** One line typed at the terminal in raw mode, echoing nothing; Ctrl-C or Ctrl-D gives up. */
function askHidden(input: NodeJS.ReadStream, question: string, refuse: (message: string) => Error): Promise<string> {
  process.stderr.write(question);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (outcome: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(typed));
        if (ch === '\u0003' || ch === '\u0004') return finish(() => reject(refuse('no password given')));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch >= ' ') typed += ch;
        if (typed.length > maxInput) return finish(() => reject(refuse('that password is too long')));
      }
    };
    input.on('data', onData);
  });
}
