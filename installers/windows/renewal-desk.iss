; Inno Setup 6 script for the Windows installer of Renewal Desk (街区更新议事台).
; Built on Windows only; see installers/README.md. From the checkout, after PyInstaller has made
; build\pyinstaller\dist\renewal-desk with installers\renewal-desk.spec:
;
;   iscc /DAppVersion=0.1.0 installers\windows\renewal-desk.iss
;
; AppVersion defaults to the value below, which tests/test_installers.py keeps equal to
; renewal_desk.__version__ (the one place the version is written).
; Result: dist\renewal-desk-<version>-windows-x64-setup.exe

#if VER < EncodeVer(6,5,0)
  #error Inno Setup 6.5.0 or newer is needed (its Languages\ChineseSimplified.isl is an official translation from 6.5.0 on)
#endif

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Renewal Desk"
#define AppNameZh "街区更新议事台"
#define AppExeName "renewal-desk.exe"
#define RepoRoot AddBackslash(SourcePath) + "..\.."
#define BundleDir RepoRoot + "\build\pyinstaller\dist\renewal-desk"

#ifnexist BundleDir + "\" + AppExeName
  #error The program folder is missing: run PyInstaller with installers\renewal-desk.spec first (installers\README.md)
#endif

[Setup]
; AppId identifies the program for upgrades and the uninstaller: never change it.
AppId={{6F1C2A8E-4B7D-4E2B-9C1A-52D0E3A7B5C4}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppNameZh} {#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppNameZh} {#AppName}
VersionInfoDescription={#AppName} Setup
; Per-user (no administrator needed) by default; the user may choose all users instead, which
; asks for elevation. /CURRENTUSER and /ALLUSERS choose on the command line.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
; {autopf}: Program Files for all users, %LOCALAPPDATA%\Programs for one user.
DefaultDirName={autopf}\{#AppName}
; Start menu: one shortcut straight in Programs ({autoprograms}), no folder of our own.
DisableProgramGroupPage=yes
; The bundle is 64-bit Python and Qt.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
SetupIconFile={#RepoRoot}\resources\icons\renewal-desk.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppNameZh} {#AppName}
Compression=lzma2/max
SolidCompression=yes
OutputDir={#RepoRoot}\dist
OutputBaseFilename=renewal-desk-{#AppVersion}-windows-x64-setup
; A running copy holds its files open: Setup and the uninstaller ask to close it (Restart Manager).
CloseApplications=yes
; Simplified Chinese first: it is also the default when the system language matches neither.
ShowLanguageDialog=auto

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimplified.ShortcutComment=老旧小区与历史街区更新的离线工作台
english.ShortcutComment=Offline desk for neighbourhood renewal
chinesesimplified.RemoveDataQuestion=是否同时删除本机当前用户的全部数据？%n%n%1%n%n其中包括数据库、自动备份、照片附件和日志。删除后无法恢复。%n选择“否”保留数据（推荐），重新安装后可继续使用。
english.RemoveDataQuestion=Also delete all data of the current user on this computer?%n%n%1%n%nThis includes the database, automatic backups, photo attachments and logs, and cannot be undone.%nChoose No to keep the data (recommended); a new installation will use it again.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppNameZh}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; IconFilename: "{app}\{#AppExeName}"; Comment: "{cm:ShortcutComment}"
Name: "{autodesktop}\{#AppNameZh}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; IconFilename: "{app}\{#AppExeName}"; Comment: "{cm:ShortcutComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppNameZh}}"; Flags: nowait postinstall skipifsilent

[Code]
// The user's data (database, backups, attachments, logs) is not in {app}: the program keeps it
// in platformdirs.user_data_path("RenewalDesk", "RenewalDesk"), i.e.
// %LOCALAPPDATA%\RenewalDesk\RenewalDesk, and its settings in the registry under
// HKCU\Software\RenewalDesk (QSettings). The uninstaller leaves both unless the user says Yes
// below; a silent uninstall (/SILENT, /SUPPRESSMSGBOXES) keeps them. Only the data of the user
// running the uninstaller can be reached; other users' data stays in their own profiles.

function UserDataDir: String;
begin
  Result := ExpandConstant('{localappdata}\RenewalDesk');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
  begin
    if DirExists(UserDataDir) then
    begin
      if SuppressibleMsgBox(FmtMessage(CustomMessage('RemoveDataQuestion'), [UserDataDir]),
                            mbConfirmation, MB_YESNO or MB_DEFBUTTON2, IDNO) = IDYES then
      begin
        DelTree(UserDataDir, True, True, True);
        RegDeleteKeyIncludingSubkeys(HKEY_CURRENT_USER, 'Software\RenewalDesk');
      end;
    end;
  end;
end;
