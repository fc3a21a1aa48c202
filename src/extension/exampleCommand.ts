// "AMP: Open Example Firmware": the example ELF shipped for the board of amp.board
// (examples/<board>/*.elf in the extension), opened and chosen as amp.firmware.
import * as vscode from 'vscode';
import { boardFromSettings } from './boardSetting';
import { setFirmware } from './lifecycleCommands';

export function registerExampleCommand(extensionUri: vscode.Uri): vscode.Disposable {
  return vscode.commands.registerCommand('amp.openExample', async (): Promise<vscode.Uri | undefined> => {
    const choice = boardFromSettings();
    if ('error' in choice) {
      void vscode.window.showErrorMessage(`AMP: ${choice.error}`);
      return undefined;
    }
    const dir = vscode.Uri.joinPath(extensionUri, 'examples', choice.board.id);
    let elf: string | undefined;
    try {
      elf = (await vscode.workspace.fs.readDirectory(dir)).map(([n]) => n).find((n) => n.endsWith('.elf'));
    } catch {
      elf = undefined;
    }
    if (!elf) {
      void vscode.window.showWarningMessage(`AMP: no example firmware for board ${choice.board.id}`);
      return undefined;
    }
    const uri = vscode.Uri.joinPath(dir, elf);
    await setFirmware(uri);
    await vscode.commands.executeCommand('vscode.open', uri);
    return uri;
  });
}
