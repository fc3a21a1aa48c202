// "AMP: Select Board" (board and core in one pick, bundled and workspace boards, stored in amp.board / amp.core) and
// "AMP: Select Firmware" (an ELF of the workspace, stored in amp.firmware).
import * as vscode from 'vscode';
import { builtinBoards } from '../core/soc/boardLoader';
import { knownBoards } from './boardSetting';
import { setFirmware } from './lifecycleCommands';
import { pickElf } from './pickElf';
import { settingsTarget } from './settingsTarget';

export interface BoardPick {
  readonly board: string;
  readonly core: string;
}

export function registerSelectCommands(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('amp.selectBoard', selectBoard),
    vscode.commands.registerCommand('amp.selectFirmware', async (arg?: unknown) => {
      const uri = await pickElf(arg, 'Firmware ELF to boot on the remote core');
      if (!uri) return undefined;
      await setFirmware(uri);
      return vscode.workspace.getConfiguration('amp').get<string>('firmware');
    }),
  );
}

async function selectBoard(board?: string, core?: string): Promise<BoardPick | undefined> {
  let pick: BoardPick | undefined = board ? { board, core: core ?? '' } : undefined;
  if (!pick) {
    const config = vscode.workspace.getConfiguration('amp');
    const current = `${config.get('board')}/${config.get('core')}`;
    const { boards, errors } = knownBoards();
    // A board file that does not load is said, not silently left out of the list.
    for (const e of errors) void vscode.window.showWarningMessage(`AMP: board file not loaded: ${e.message}`);
    const bundled = new Set(builtinBoards());
    const items = boards.flatMap((b) => b.cores.map((c, i) => ({
      label: `${b.id} / ${c.id}`,
      description: `${c.name} · ${c.cpu} · ${c.driver}`,
      detail: i === 0 ? `${b.name}${bundled.has(b) ? '' : ' (.amp/boards)'}` : undefined,
      picked: current === `${b.id}/${c.id}` || (current === `${b.id}/` && i === 0),
      value: { board: b.id, core: c.id },
    })));
    const chosen = await vscode.window.showQuickPick(items, { placeHolder: 'Board and remote core to simulate', matchOnDescription: true });
    pick = chosen?.value;
  }
  if (!pick) return undefined;
  const config = vscode.workspace.getConfiguration('amp');
  await config.update('board', pick.board, settingsTarget('board'));
  await config.update('core', pick.core || undefined, settingsTarget('core'));
  return pick;
}
