<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AcceptanceDialog</name>
    <message>
        <source>Record an acceptance</source>
        <translation>登记验收</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>(no score)</source>
        <translation>（无得分）</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Not passed</source>
        <translation>不通过</translation>
    </message>
    <message>
        <source>Only if problems in scope are still open: why accept now</source>
        <translation>仅当验收范围内仍有未关闭问题时填写：为何现在验收</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Works package (empty: whole project)</source>
        <translation>工程包（空：全项目）</translation>
    </message>
    <message>
        <source>Builder</source>
        <translation>参建单位</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>检查项目</translation>
    </message>
    <message>
        <source>Satisfaction survey</source>
        <translation>满意度调查</translation>
    </message>
    <message>
        <source>Third-party evaluator</source>
        <translation>第三方评估机构</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Evaluation conclusion</source>
        <translation>评估结论</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Written reason to accept with open problems</source>
        <translation>有未关闭问题仍验收的书面理由</translation>
    </message>
    <message>
        <source>Problems still open in this scope: %1</source>
        <translation>该范围内未关闭的问题：%1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>AcceptanceTab</name>
    <message>
        <source>Record acceptance…</source>
        <translation>登记验收…</translation>
    </message>
    <message>
        <source>Print acceptance form…</source>
        <translation>打印验收记录表…</translation>
    </message>
    <message>
        <source>Residents&apos; satisfaction rule (local practice: 群众不满意不通过验收; editable)</source>
        <translation>居民满意度规则（地方做法：群众不满意不通过验收；可修改）</translation>
    </message>
    <message>
        <source>A passed acceptance needs at least this share satisfied</source>
        <translation>验收通过须至少达到的居民满意率</translation>
    </message>
    <message>
        <source>Save rule</source>
        <translation>保存规则</translation>
    </message>
    <message>
        <source>Acceptance recorded</source>
        <translation>已登记验收</translation>
    </message>
</context>
<context>
    <name>AccountsDialog</name>
    <message>
        <source>Accounts</source>
        <translation>账户管理</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Last login</source>
        <translation>最近登录</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重设密码…</translation>
    </message>
    <message>
        <source>Change role…</source>
        <translation>修改角色…</translation>
    </message>
    <message>
        <source>Disable / enable</source>
        <translation>停用 / 启用</translation>
    </message>
    <message>
        <source>must change</source>
        <translation>须修改</translation>
    </message>
    <message>
        <source>set</source>
        <translation>已设置</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>尚未设置</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Select an account in the list first.</source>
        <translation>请先在列表中选择一个账户。</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重设密码</translation>
    </message>
    <message>
        <source>A first password for %1 (they must change it at the next login):</source>
        <translation>为 %1 设置初始密码（下次登录时须自行修改）：</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>修改角色</translation>
    </message>
</context>
<context>
    <name>AddAccountDialog</name>
    <message>
        <source>Add an account</source>
        <translation>添加账户</translation>
    </message>
    <message>
        <source>The person must choose their own password at the first login.</source>
        <translation>此人首次登录时须设置自己的密码。</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>First password</source>
        <translation>初始密码</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>再次输入密码</translation>
    </message>
</context>
<context>
    <name>AgendaTab</name>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Discuss now</source>
        <translation>设为当前议程</translation>
    </message>
    <message>
        <source>◀ Previous (PgUp)</source>
        <translation>◀ 上一项（PgUp）</translation>
    </message>
    <message>
        <source>Next (PgDn) ▶</source>
        <translation>下一项（PgDn）▶</translation>
    </message>
    <message>
        <source>Agenda (drag or Alt+↑/↓ to reorder)</source>
        <translation>议程（拖动或 Alt+↑/↓ 调整顺序）</translation>
    </message>
    <message>
        <source>Summary of the discussion (saved as you type)</source>
        <translation>讨论情况摘要（边写边自动保存）</translation>
    </message>
    <message>
        <source>Speaker</source>
        <translation>发言人</translation>
    </message>
    <message>
        <source>What was said — saved as you type; Ctrl+Enter starts the next speaker</source>
        <translation>发言内容 — 边写边自动保存；Ctrl+Enter 记录下一位</translation>
    </message>
    <message>
        <source>New speaker (Ctrl+Enter)</source>
        <translation>下一位发言（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Delete speech</source>
        <translation>删除发言</translation>
    </message>
    <message>
        <source>Speeches</source>
        <translation>发言记录</translation>
    </message>
    <message>
        <source> (%1 min)</source>
        <translation>（%1 分钟）</translation>
    </message>
    <message>
        <source>Delete this agenda item and its minutes?</source>
        <translation>删除这项议程及其记录？</translation>
    </message>
    <message>
        <source>Under discussion: </source>
        <translation>正在讨论：</translation>
    </message>
    <message>
        <source>Typing…</source>
        <translation>正在输入…</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Cannot open the database</source>
        <translation>无法打开数据库</translation>
    </message>
    <message>
        <source>The latest good backup (it passed its integrity check) is from %1.</source>
        <translation>最近一份完好的备份（已通过完整性检查）：%1。</translation>
    </message>
    <message>
        <source>Restore the latest good backup</source>
        <translation>从最近一份完好的备份恢复</translation>
    </message>
    <message>
        <source>Encrypted database</source>
        <translation>加密的数据库</translation>
    </message>
    <message>
        <source>This database is encrypted. Enter its passphrase to open it.</source>
        <translation>此数据库已加密，请输入口令后打开。</translation>
    </message>
    <message>
        <source>Passphrase of %1:</source>
        <translation>%1 的口令：</translation>
    </message>
    <message>
        <source>Database already open</source>
        <translation>数据库已被打开</translation>
    </message>
    <message>
        <source>This database is already open in another Renewal Desk window (process %1 on %2).

Working in both at once is safe, but each window shows the other&apos;s changes only after a refresh. Open it here as well?</source>
        <translation>该数据库已在另一个街区更新议事台窗口中打开（%2 上的进程 %1）。

两个窗口同时使用是安全的，但一个窗口的修改要在另一个窗口刷新后才能看到。仍要在这里打开吗？</translation>
    </message>
    <message>
        <source>The database cannot be opened, so permissions cannot be checked there. An administrator&apos;s account:</source>
        <translation>数据库无法打开，无法在其中核对权限。请输入管理员账户名：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Restore failed</source>
        <translation>恢复失败</translation>
    </message>
    <message>
        <source>Welcome to Renewal Desk</source>
        <translation>欢迎使用街区更新议事台</translation>
    </message>
    <message>
        <source>This database is empty. Create a fictional demo community (%1 households) to explore the app? You can import your own roster at any time.</source>
        <translation>数据库是空的。是否生成一个虚构的演示社区（%1 户）来熟悉软件？您随时可以导入自己的花名册。</translation>
    </message>
    <message>
        <source>Creating the demo community…</source>
        <translation>正在生成演示社区……</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancelling: removing what was created…</source>
        <translation>正在取消：撤销已生成的内容…</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>Something went wrong: %1

The action was not completed and no data was changed by it. Details were written to %2.</source>
        <translation>程序出现意外错误：%1

该操作没有完成，也没有因此改动任何数据。详细信息已记录在 %2。</translation>
    </message>
    <message>
        <source>Cannot start</source>
        <translation>无法启动</translation>
    </message>
</context>
<context>
    <name>AppointDialog</name>
    <message>
        <source>Appoint a chief street designer</source>
        <translation>聘任首席街长</translation>
    </message>
    <message>
        <source>Choose, or type a new designer&apos;s name</source>
        <translation>选择，或输入新设计师姓名</translation>
    </message>
    <message>
        <source>Term ends on</source>
        <translation>任期至</translation>
    </message>
    <message>
        <source>Designer</source>
        <translation>首席街长</translation>
    </message>
    <message>
        <source>Letter no.</source>
        <translation>聘书编号</translation>
    </message>
    <message>
        <source>Appointed on</source>
        <translation>聘任日期</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>AttendeeDialog</name>
    <message>
        <source>Walk-in</source>
        <translation>列席人员</translation>
    </message>
    <message>
        <source>Invite</source>
        <translation>邀请参会</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Role / organisation</source>
        <translation>身份/单位</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>动作</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>表</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>变更内容</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Every change, reveal, print, login and export, newest first. The log can only grow: nobody can edit or delete it. ID numbers and phones are masked.</source>
        <translation>每一次修改、查看完整信息、打印、登录和导出都记录在此，最新的在前。审计日志只能追加，任何人都不能修改或删除。身份证号和电话已脱敏。</translation>
    </message>
    <message>
        <source>record id or UUID</source>
        <translation>记录编号或 UUID</translation>
    </message>
    <message>
        <source>From</source>
        <translation>日期从</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>表</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Export with full ID numbers and phones (recorded)</source>
        <translation>导出完整身份证号和电话（将记入审计）</translation>
    </message>
    <message>
        <source>Export filtered log…</source>
        <translation>导出筛选结果…</translation>
    </message>
    <message>
        <source>Select an entry to see the full history of its record.</source>
        <translation>选择一条记录，查看该记录的完整变更历史。</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>%1 entries</source>
        <translation>%1 条</translation>
    </message>
    <message>
        <source>This entry is not about one record.</source>
        <translation>此条不针对某一条记录。</translation>
    </message>
    <message>
        <source>History of %1 %2 (%3 entries)</source>
        <translation>%1 %2 的变更历史（%3 条）</translation>
    </message>
    <message>
        <source>Export the audit log</source>
        <translation>导出审计日志</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Your role may not export full personal data.</source>
        <translation>您的角色无权导出完整个人信息。</translation>
    </message>
    <message>
        <source>Exported %1 entries; the export was recorded in the log.</source>
        <translation>已导出 %1 条；本次导出已记入审计日志。</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
</context>
<context>
    <name>BackupPage</name>
    <message>
        <source>Export and backup</source>
        <translation>导出与备份</translation>
    </message>
    <message>
        <source>Backups are made automatically when the app closes, once a day while it runs, and before every upgrade or restore. They are kept in: %1</source>
        <translation>程序关闭时、运行期间每天一次、以及每次升级或恢复之前都会自动备份。备份保存在：%1</translation>
    </message>
    <message>
        <source>The office server&apos;s database is backed up by the server&apos;s nightly job. Back up now saves a copy of it (pg_dump) on this computer, in: %1</source>
        <translation>办公室服务器的数据库由服务器的每晚任务备份。“立即备份”把它的一份副本（pg_dump）存到本机：%1</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>Restore selected backup…</source>
        <translation>恢复所选备份……</translation>
    </message>
    <message>
        <source>Restore from file…</source>
        <translation>从文件恢复……</translation>
    </message>
    <message>
        <source>Taken at</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>on close</source>
        <translation>关闭时</translation>
    </message>
    <message>
        <source>daily</source>
        <translation>每日</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>before restore</source>
        <translation>恢复前</translation>
    </message>
    <message>
        <source>before upgrade</source>
        <translation>升级前</translation>
    </message>
    <message>
        <source>Backup failed</source>
        <translation>备份失败</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Backing up the office server…</source>
        <translation>正在备份办公室服务器…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Checking the copy…</source>
        <translation>正在检查副本…</translation>
    </message>
    <message>
        <source>Backed up to %1</source>
        <translation>已备份到 %1</translation>
    </message>
    <message>
        <source>Backup cancelled; no file was written</source>
        <translation>备份已取消，未写入任何文件</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Select a backup in the list first.</source>
        <translation>请先在列表中选择一个备份。</translation>
    </message>
    <message>
        <source>Office server backup (*%1)</source>
        <translation>办公室服务器数据库备份 (*%1)</translation>
    </message>
    <message>
        <source>Choose a backup</source>
        <translation>选择备份文件</translation>
    </message>
    <message>
        <source>Renewal Desk database (*.sqlite)</source>
        <translation>街区更新议事台数据库 (*.sqlite)</translation>
    </message>
</context>
<context>
    <name>BarRow</name>
    <message>
        <source>needs %1</source>
        <translation>需%1</translation>
    </message>
</context>
<context>
    <name>BusinessDialog</name>
    <message>
        <source>Place a business</source>
        <translation>登记入驻业态</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>经营者</translation>
    </message>
    <message>
        <source>Business type</source>
        <translation>业态</translation>
    </message>
    <message>
        <source>Heritage project</source>
        <translation>非遗项目</translation>
    </message>
    <message>
        <source>From</source>
        <translation>入驻日期</translation>
    </message>
    <message>
        <source>Annual rent from the operator (yuan)</source>
        <translation>经营者年租金（元）</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>An administrator set your password. Choose your own now (at least 8 characters).</source>
        <translation>您的密码由管理员设置，请现在设置自己的密码（至少 8 个字符）。</translation>
    </message>
    <message>
        <source>Change your password (at least 8 characters).</source>
        <translation>修改密码（至少 8 个字符）。</translation>
    </message>
    <message>
        <source>Change my password</source>
        <translation>修改我的密码</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>Repeat new password</source>
        <translation>再次输入新密码</translation>
    </message>
</context>
<context>
    <name>ChartsTab</name>
    <message>
        <source>Print report…</source>
        <translation>打印工作报告…</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 天</translation>
    </message>
    <message>
        <source>Last 180 days: %1 inspections, %2 problems found, %3 closed, %4 notices; open now: %5, overdue: %6; average days to close: %7</source>
        <translation>近 180 天：巡查 %1 次，发现问题 %2 项，关闭 %3 项，整改通知单 %4 份；目前未关闭 %5 项，逾期 %6 项；平均整改天数：%7</translation>
    </message>
    <message>
        <source>Open and closed problems over time</source>
        <translation>未关闭与已关闭问题数（随时间）</translation>
    </message>
    <message>
        <source>open</source>
        <translation>未关闭</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Problems by category</source>
        <translation>问题按类别</translation>
    </message>
    <message>
        <source>Problems by party</source>
        <translation>问题按责任单位</translation>
    </message>
    <message>
        <source>Average days to close, by party</source>
        <translation>平均整改天数（按责任单位）</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Conflict: %1</source>
        <translation>冲突：%1</translation>
    </message>
    <message>
        <source>This record was changed on this laptop and on %1. Differences are marked.</source>
        <translation>这条记录在本机和 %1 上都改过，不同之处以粗体标出。</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>On this laptop</source>
        <translation>本机版本</translation>
    </message>
    <message>
        <source>Incoming</source>
        <translation>导入版本</translation>
    </message>
    <message>
        <source>(deleted)</source>
        <translation>（已删除）</translation>
    </message>
    <message>
        <source>Keep this laptop&apos;s version</source>
        <translation>保留本机版本</translation>
    </message>
    <message>
        <source>Take the incoming version</source>
        <translation>采用导入版本</translation>
    </message>
    <message>
        <source>Decide later</source>
        <translation>稍后决定</translation>
    </message>
</context>
<context>
    <name>ContractDialog</name>
    <message>
        <source>Sign a lease contract</source>
        <translation>签订租赁合同</translation>
    </message>
    <message>
        <source>Amend the contract</source>
        <translation>修订合同</translation>
    </message>
    <message>
        <source>Renew the contract</source>
        <translation>续签合同</translation>
    </message>
    <message>
        <source> months</source>
        <translation> 个月</translation>
    </message>
    <message>
        <source>Compound on the previous step</source>
        <translation>在上一阶段租金基础上递增（复利）</translation>
    </message>
    <message>
        <source>The lessor consents to subletting (Civil Code art. 716)</source>
        <translation>出租人同意转租（《民法典》第七百一十六条）</translation>
    </message>
    <message>
        <source>The lessor consents to improvements (Civil Code art. 715)</source>
        <translation>出租人同意改善或增设他物（《民法典》第七百一十五条）</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <source>Term</source>
        <translation>租期</translation>
    </message>
    <message>
        <source>Base annual rent (yuan)</source>
        <translation>首年年租金（元）</translation>
    </message>
    <message>
        <source>Step-up (%)</source>
        <translation>递增比例（%）</translation>
    </message>
    <message>
        <source>Every N lease years</source>
        <translation>每几个租赁年度递增</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <source>Due day of month</source>
        <translation>每期付款日</translation>
    </message>
    <message>
        <source>Deposit (yuan)</source>
        <translation>押金（元）</translation>
    </message>
    <message>
        <source>Permitted uses</source>
        <translation>租赁用途</translation>
    </message>
    <message>
        <source>Renewal</source>
        <translation>续租约定</translation>
    </message>
    <message>
        <source>Early termination</source>
        <translation>提前解除约定</translation>
    </message>
    <message>
        <source>Reason for the amendment</source>
        <translation>修订原因</translation>
    </message>
    <message>
        <source>Rent by lease year</source>
        <translation>各租赁年度租金</translation>
    </message>
    <message>
        <source>Total: %1 yuan</source>
        <translation>租金总额：%1 元</translation>
    </message>
</context>
<context>
    <name>DatabaseDialog</name>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Database file on this computer</source>
        <translation>本机数据库文件</translation>
    </message>
    <message>
        <source>Office server</source>
        <translation>办公室服务器</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>e.g. 192.168.1.10 or desk-server</source>
        <translation>例如 192.168.1.10 或 desk-server</translation>
    </message>
    <message>
        <source>Remember the password (system keyring)</source>
        <translation>记住密码（系统密钥环）</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Database name</source>
        <translation>数据库名</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>This computer has no system keyring: the password is asked at each start.</source>
        <translation>本机没有系统密钥环：每次启动时询问密码。</translation>
    </message>
    <message>
        <source>Database file</source>
        <translation>数据库文件</translation>
    </message>
    <message>
        <source>Renewal Desk database (*.sqlite)</source>
        <translation>街区更新议事台数据库 (*.sqlite)</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Connected: the server&apos;s Renewal Desk database answers (schema version %1).</source>
        <translation>连接成功：服务器上的街区更新议事台数据库已应答（结构版本 %1）。</translation>
    </message>
</context>
<context>
    <name>DesignerPage</name>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Respond by</source>
        <translation>答复期限</translation>
    </message>
    <message>
        <source>Addressee / who</source>
        <translation>致送 / 答复人</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Designer</source>
        <translation>首席街长</translation>
    </message>
    <message>
        <source>Letter no.</source>
        <translation>聘书编号</translation>
    </message>
    <message>
        <source>Term</source>
        <translation>任期</translation>
    </message>
    <message>
        <source>Ended because</source>
        <translation>离任原因</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>片区</translation>
    </message>
    <message>
        <source>Appoint…</source>
        <translation>聘任…</translation>
    </message>
    <message>
        <source>End appointment…</source>
        <translation>离任…</translation>
    </message>
    <message>
        <source>Record a visit…</source>
        <translation>记录走访…</translation>
    </message>
    <message>
        <source>Respond…</source>
        <translation>记录答复…</translation>
    </message>
    <message>
        <source>Correct opinion…</source>
        <translation>更正意见…</translation>
    </message>
    <message>
        <source>Amend response…</source>
        <translation>更正答复…</translation>
    </message>
    <message>
        <source>Void response…</source>
        <translation>作废答复…</translation>
    </message>
    <message>
        <source>Add sketches or photos…</source>
        <translation>添加草图或照片…</translation>
    </message>
    <message>
        <source>Print opinion…</source>
        <translation>打印意见书…</translation>
    </message>
    <message>
        <source>Print journal…</source>
        <translation>打印工作记录…</translation>
    </message>
    <message>
        <source>All stages</source>
        <translation>全部阶段</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Overdue only</source>
        <translation>只看逾期</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Select an opinion to see it in full.</source>
        <translation>在时间线中选择一条意见，查看全文。</translation>
    </message>
    <message>
        <source>Opinions by stage and status</source>
        <translation>各阶段意见及状态</translation>
    </message>
    <message>
        <source>Opinion</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Appointments</source>
        <translation>聘任记录</translation>
    </message>
    <message>
        <source>No block yet: create a project and its blocks first</source>
        <translation>还没有片区：请先建立项目和片区</translation>
    </message>
    <message>
        <source>Chief designer: %1 (letter %2, term %3)</source>
        <translation>首席街长：%1（聘书 %2，任期 %3）</translation>
    </message>
    <message>
        <source>No chief designer appointed</source>
        <translation>尚未聘任首席街长</translation>
    </message>
    <message>
        <source>Opinions: %1 · answered: %2 · adopted or partly adopted: %3 · adoption rate: %4 · average response: %5 days · overdue: %6</source>
        <translation>意见：%1 · 已答复：%2 · 采纳（含部分采纳）：%3 · 采纳率：%4 · 平均答复用时：%5 天 · 逾期：%6</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>走访</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Opinions</source>
        <translation>意见数</translation>
    </message>
    <message>
        <source>Raised on %1 by %2; concerns %3</source>
        <translation>%1 由 %2 提出；关注方：%3</translation>
    </message>
    <message>
        <source>To %1, respond by %2</source>
        <translation>致送：%1，答复期限：%2</translation>
    </message>
    <message>
        <source>Observed: %1</source>
        <translation>现场情况：%1</translation>
    </message>
    <message>
        <source>Opinion: %1</source>
        <translation>意见：%1</translation>
    </message>
    <message>
        <source>Cites: %1</source>
        <translation>引用：%1</translation>
    </message>
    <message>
        <source>Sketches and photos: %1</source>
        <translation>草图和照片：%1</translation>
    </message>
    <message>
        <source>reason: %1</source>
        <translation>理由：%1</translation>
    </message>
    <message>
        <source>void: %1</source>
        <translation>已作废：%1</translation>
    </message>
    <message>
        <source>Overdue: no response yet</source>
        <translation>已逾期，尚未答复</translation>
    </message>
    <message>
        <source>Chief street designer</source>
        <translation>首席街长</translation>
    </message>
    <message>
        <source>Choose a block first.</source>
        <translation>请先选择片区。</translation>
    </message>
    <message>
        <source>Designer appointed</source>
        <translation>已聘任首席街长</translation>
    </message>
    <message>
        <source>This block has no active chief designer.</source>
        <translation>该片区没有在任的首席街长。</translation>
    </message>
    <message>
        <source>Appointment ended</source>
        <translation>已办理离任</translation>
    </message>
    <message>
        <source>Visit recorded</source>
        <translation>走访已记录</translation>
    </message>
    <message>
        <source>Select an opinion in the timeline first.</source>
        <translation>请先在时间线中选择一条意见。</translation>
    </message>
    <message>
        <source>Record a response</source>
        <translation>记录答复</translation>
    </message>
    <message>
        <source>This opinion is settled (%1).</source>
        <translation>该意见已有结果（%1），不能再答复。</translation>
    </message>
    <message>
        <source>Response recorded</source>
        <translation>答复已记录</translation>
    </message>
    <message>
        <source>This opinion has no response to amend or void.</source>
        <translation>该意见还没有可更正或作废的答复。</translation>
    </message>
    <message>
        <source>Opinion corrected</source>
        <translation>已更正意见</translation>
    </message>
    <message>
        <source>Response amended</source>
        <translation>已更正答复</translation>
    </message>
    <message>
        <source>Response voided</source>
        <translation>已作废答复</translation>
    </message>
    <message>
        <source>Add sketches or photos</source>
        <translation>添加草图或照片</translation>
    </message>
    <message>
        <source>Images and PDF (*.jpg *.jpeg *.png *.heic *.bmp *.pdf)</source>
        <translation>图片和 PDF (*.jpg *.jpeg *.png *.heic *.bmp *.pdf)</translation>
    </message>
    <message>
        <source>%1 files added</source>
        <translation>已添加 %1 个文件</translation>
    </message>
</context>
<context>
    <name>EndAppointmentDialog</name>
    <message>
        <source>End the appointment</source>
        <translation>办理离任</translation>
    </message>
    <message>
        <source>e.g. term over, replaced, resigned</source>
        <translation>如：任期届满、更换人选、本人辞任</translation>
    </message>
    <message>
        <source>Designer</source>
        <translation>首席街长</translation>
    </message>
    <message>
        <source>Ended on</source>
        <translation>离任日期</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ExchangePanel</name>
    <message>
        <source>Export bundle…</source>
        <translation>导出数据包…</translation>
    </message>
    <message>
        <source>Import bundle…</source>
        <translation>导入数据包…</translation>
    </message>
    <message>
        <source>Format description: resources/docs/export-format.md</source>
        <translation>格式说明：resources/docs/export-format.md</translation>
    </message>
    <message>
        <source>Conflicts to decide</source>
        <translation>待处理的冲突</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Fields that differ</source>
        <translation>不同的字段</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来自</translation>
    </message>
    <message>
        <source>Detected</source>
        <translation>发现时间</translation>
    </message>
    <message>
        <source>Compare and decide…</source>
        <translation>对比并处理…</translation>
    </message>
    <message>
        <source>Export and import history</source>
        <translation>导出与导入记录</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Recipient / source</source>
        <translation>接收方 / 来源</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <source>Personal data</source>
        <translation>个人信息</translation>
    </message>
    <message>
        <source>export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>full (audited)</source>
        <translation>完整（已记入审计）</translation>
    </message>
    <message>
        <source>masked</source>
        <translation>已遮蔽</translation>
    </message>
    <message>
        <source>deleted on one side</source>
        <translation>一方已删除</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export bundle</source>
        <translation>导出数据包</translation>
    </message>
    <message>
        <source>Writes a renewal-desk-export bundle: the records as JSON Lines files with their schemas and the same tables as an Excel workbook. Personal data is masked unless you include it for a named recipient and purpose.</source>
        <translation>生成 renewal-desk-export 数据包：各类记录的 JSON Lines 文件及其结构定义，另附同样内容的 Excel 工作簿。个人信息默认遮蔽，只有写明接收方和用途时才可导出完整信息。</translation>
    </message>
    <message>
        <source>A new .zip file or a new folder</source>
        <translation>新的 .zip 文件或新文件夹</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Save as</source>
        <translation>保存为</translation>
    </message>
    <message>
        <source>e.g. the city&apos;s renewal project library</source>
        <translation>例如：市城市更新项目库</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>接收方</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>数据期间</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>全部数据</translation>
    </message>
    <message>
        <source>Changes since the last export to this recipient</source>
        <translation>上次导出给该接收方以来的变更</translation>
    </message>
    <message>
        <source>Changes since</source>
        <translation>此日期以来的变更</translation>
    </message>
    <message>
        <source>Personal data</source>
        <translation>个人信息</translation>
    </message>
    <message>
        <source>Include full names, ID numbers and phones (audited)</source>
        <translation>包含完整姓名、身份证号和电话（记入审计）</translation>
    </message>
    <message>
        <source>Why the recipient needs them</source>
        <translation>接收方需要这些信息的理由</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Save bundle as</source>
        <translation>数据包保存为</translation>
    </message>
    <message>
        <source>Zip bundle (*.zip)</source>
        <translation>数据包 (*.zip)</translation>
    </message>
    <message>
        <source>The bundle will hold full names, ID numbers and phone numbers.

Recipient: %1
Purpose: %2

The export is recorded in the audit log under your name. Continue?</source>
        <translation>数据包将包含完整的姓名、身份证号和电话号码。

接收方：%1
用途：%2

本次导出将以您的名义记入审计日志。是否继续？</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（未填写）</translation>
    </message>
    <message>
        <source>Export full personal data</source>
        <translation>导出完整个人信息</translation>
    </message>
    <message>
        <source>Choose where to save the bundle.</source>
        <translation>请选择数据包的保存位置。</translation>
    </message>
    <message>
        <source>Name the recipient to export the changes since the last export to it.</source>
        <translation>要导出上次以来的变更，请填写接收方。</translation>
    </message>
    <message>
        <source>Full personal data needs the recipient and the purpose.</source>
        <translation>导出完整个人信息必须填写接收方和用途。</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Exported %1 records to %2</source>
        <translation>已导出 %1 条记录至 %2</translation>
    </message>
    <message>
        <source>With %1 attachment files (photos, scans)</source>
        <translation>含附件文件 %1 个（照片、扫描件）</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Cancelled. Nothing was written.</source>
        <translation>已取消，未写入任何内容。</translation>
    </message>
    <message>
        <source>Export failed, nothing was written: %1</source>
        <translation>导出失败，未写入任何内容：%1</translation>
    </message>
</context>
<context>
    <name>FeedbackBanner</name>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>HouseDialog</name>
    <message>
        <source>Register a stored house</source>
        <translation>登记收储房屋</translation>
    </message>
    <message>
        <source>Correct the stored house</source>
        <translation>更正收储房屋信息</translation>
    </message>
    <message>
        <source>Type a name to find the owner</source>
        <translation>输入姓名查找产权人</translation>
    </message>
    <message>
        <source>New owner…</source>
        <translation>新增产权人……</translation>
    </message>
    <message>
        <source>Street</source>
        <translation>街巷</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>门牌号</translation>
    </message>
    <message>
        <source>Owners</source>
        <translation>产权人</translation>
    </message>
    <message>
        <source>Area (m²)</source>
        <translation>面积（㎡）</translation>
    </message>
    <message>
        <source>Structure</source>
        <translation>结构</translation>
    </message>
    <message>
        <source>Built in</source>
        <translation>建成年代</translation>
    </message>
    <message>
        <source>Protection</source>
        <translation>保护类别</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>现状</translation>
    </message>
    <message>
        <source>Stored on</source>
        <translation>收储日期</translation>
    </message>
    <message>
        <source>Current use</source>
        <translation>当前用途</translation>
    </message>
    <message>
        <source>New owner</source>
        <translation>新增产权人</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
</context>
<context>
    <name>HouseholdDialog</name>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>与户主关系</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Edit household</source>
        <translation>编辑住户</translation>
    </message>
    <message>
        <source>New household</source>
        <translation>新增住户</translation>
    </message>
    <message>
        <source>Type to find a unit: building, unit…</source>
        <translation>输入以查找单元：楼栋、单元……</translation>
    </message>
    <message>
        <source>e.g. 301</source>
        <translation>例如 301</translation>
    </message>
    <message>
        <source>m², e.g. 85.6</source>
        <translation>平方米，例如 85.6</translation>
    </message>
    <message>
        <source>Vacant</source>
        <translation>空置</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>房号</translation>
    </message>
    <message>
        <source>Exclusive area</source>
        <translation>专有面积</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Add member</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <source>Remove member</source>
        <translation>删除成员</translation>
    </message>
    <message>
        <source>Show full ID and phone</source>
        <translation>显示完整证件号和电话</translation>
    </message>
    <message>
        <source>Roles: owner, tenant, representative, party member, supervisor, designer, operator, staff (separate with commas)</source>
        <translation>身份可填：业主、租户、居民代表、党员、监督员、设计师、经营者、工作人员（多个用逗号分隔）</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>家庭成员</translation>
    </message>
    <message>
        <source>Discard the changes to this household?</source>
        <translation>放弃对此住户的修改吗？</translation>
    </message>
    <message>
        <source>Choose the unit this household belongs to.</source>
        <translation>请选择该住户所在的单元。</translation>
    </message>
</context>
<context>
    <name>HouseholdTableModel</name>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>房号</translation>
    </message>
    <message>
        <source>Head of household</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Area (m²)</source>
        <translation>面积（㎡）</translation>
    </message>
    <message>
        <source>Area source</source>
        <translation>面积来源</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>家庭成员</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Matched by</source>
        <translation>匹配依据</translation>
    </message>
</context>
<context>
    <name>HouseholdsPage</name>
    <message>
        <source>project</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>block</source>
        <translation>片区</translation>
    </message>
    <message>
        <source>building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>unit</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>Search: name, pinyin initials (zjg), building/room, phone tail</source>
        <translation>搜索：姓名、拼音首字母（如 zjg）、楼栋/房号、电话尾号</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>New household</source>
        <translation>新增住户</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Show full ID and phone</source>
        <translation>显示完整证件号和电话</translation>
    </message>
    <message>
        <source>Mask again</source>
        <translation>重新脱敏</translation>
    </message>
    <message>
        <source>Import roster…</source>
        <translation>导入花名册……</translation>
    </message>
    <message>
        <source>Print building roster…</source>
        <translation>打印楼栋花名册……</translation>
    </message>
    <message>
        <source>Print building roster with full ID and phone (internal)…</source>
        <translation>打印含完整证件号和电话的楼栋花名册（内部使用）……</translation>
    </message>
    <message>
        <source>All households</source>
        <translation>全部住户</translation>
    </message>
    <message>
        <source>New %1…</source>
        <translation>新建%1……</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名……</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除……</translation>
    </message>
    <message>
        <source>New %1</source>
        <translation>新建%1</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Delete %1 and every household in it? The deletion is recorded in the audit log and can be undone only by restoring a backup.</source>
        <translation>删除“%1”及其中的全部住户吗？删除操作会记入审计日志，只能通过恢复备份撤销。</translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation>正在删除……</translation>
    </message>
    <message>
        <source>Deleted %1 with %2 households</source>
        <translation>已删除“%1”及其中 %2 户</translation>
    </message>
    <message numerus="yes">
        <source>%n household(s)</source>
        <translation>
            <numerusform>%n 户</numerusform>
        </translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>Household saved</source>
        <translation>住户已保存</translation>
    </message>
    <message>
        <source>Delete household</source>
        <translation>删除住户</translation>
    </message>
    <message>
        <source>Delete the household %1 (%2) and its members?</source>
        <translation>删除住户 %1（%2）及其家庭成员吗？</translation>
    </message>
    <message>
        <source>Household deleted</source>
        <translation>住户已删除</translation>
    </message>
    <message>
        <source>Full data shown; this was recorded in the audit log</source>
        <translation>已显示完整信息，此操作已记入审计日志</translation>
    </message>
    <message>
        <source>Choose an Excel roster</source>
        <translation>选择 Excel 花名册</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Print building roster</source>
        <translation>打印楼栋花名册</translation>
    </message>
    <message>
        <source>Select a building (or one of its units) in the tree first.</source>
        <translation>请先在左侧树中选择一个楼栋（或其中的单元）。</translation>
    </message>
    <message>
        <source>Print with full personal data</source>
        <translation>打印完整个人信息</translation>
    </message>
    <message>
        <source>This roster will show full ID numbers and phone numbers. It is for internal use only and must not be posted. The printing is recorded in the audit log. Continue?</source>
        <translation>此花名册将显示完整的身份证号和电话号码，仅限内部使用，不得张贴。本次打印会记入审计日志。是否继续？</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import roster — %1</source>
        <translation>导入花名册 — %1</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Import into project</source>
        <translation>导入到项目</translation>
    </message>
    <message>
        <source>Columns: which column holds what</source>
        <translation>列对应：每一列是什么内容</translation>
    </message>
    <message>
        <source>Header row</source>
        <translation>表头所在行</translation>
    </message>
    <message>
        <source>Apply columns</source>
        <translation>应用列对应</translation>
    </message>
    <message>
        <source>Adjust columns…</source>
        <translation>调整列对应……</translation>
    </message>
    <message>
        <source>Reading the file…</source>
        <translation>正在读取文件……</translation>
    </message>
    <message>
        <source>Import the valid rows and skip rows with errors</source>
        <translation>只导入有效行，跳过有错误的行</translation>
    </message>
    <message>
        <source>Import bundle</source>
        <translation>导入数据包</translation>
    </message>
    <message>
        <source>Merges a bundle exported on another laptop of the office. It is checked first (signature, checksums and schemas); records changed on both laptops are listed as conflicts for you to decide, never overwritten.</source>
        <translation>合并本单位另一台电脑导出的数据包。先核对签名、校验值和结构定义；两台电脑都改过的记录列为冲突，由您决定，绝不静默覆盖。</translation>
    </message>
    <message>
        <source>A bundle .zip file or folder</source>
        <translation>数据包 .zip 文件或文件夹</translation>
    </message>
    <message>
        <source>Zip file…</source>
        <translation>Zip 文件…</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <source>Check only</source>
        <translation>只检查</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Open bundle</source>
        <translation>打开数据包</translation>
    </message>
    <message>
        <source>Zip bundle (*.zip)</source>
        <translation>数据包 (*.zip)</translation>
    </message>
    <message>
        <source>Open bundle folder</source>
        <translation>打开数据包文件夹</translation>
    </message>
    <message>
        <source>Choose the bundle first.</source>
        <translation>请先选择数据包。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>From: %1</source>
        <translation>来自：%1</translation>
    </message>
    <message>
        <source>Signed by the key %1</source>
        <translation>签名密钥：%1</translation>
    </message>
    <message>
        <source>Added %1, updated %2, unchanged %3, kept (newer here) %4, deleted %5, conflicts %6</source>
        <translation>新增 %1，更新 %2，未变 %3，保留（本机较新）%4，删除 %5，冲突 %6</translation>
    </message>
    <message>
        <source>Attachment files stored: %1</source>
        <translation>新存入附件文件：%1 个</translation>
    </message>
    <message>
        <source>Checked: the bundle is sound. Nothing was written yet.</source>
        <translation>检查完毕：数据包完好，尚未写入任何内容。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Imported.</source>
        <translation>已导入。</translation>
    </message>
    <message>
        <source>Conflicts are listed on the page: decide each one.</source>
        <translation>冲突已列在页面上，请逐条处理。</translation>
    </message>
    <message>
        <source>Cancelled. Nothing was written.</source>
        <translation>已取消，未写入任何内容。</translation>
    </message>
    <message>
        <source>Refused, nothing was written: %1</source>
        <translation>已拒绝，未写入任何内容：%1</translation>
    </message>
    <message>
        <source>Unknown signing key</source>
        <translation>未知的签名密钥</translation>
    </message>
    <message>
        <source>This bundle was signed by a key this database does not trust yet.

Fingerprint: %1
The bundle says it comes from: %2

Compare the fingerprint with the sender&apos;s (by phone or in person; the sender sees it with renewal-desk keys show). Trust this key and import? Only if they match: a forged bundle can delete or change your records.</source>
        <translation>此数据包的签名密钥尚未受本数据库信任。

指纹：%1
数据包自称来自：%2

请与发送方核对指纹（电话或当面；对方可用 renewal-desk keys show 查看）。信任此密钥并导入吗？只有指纹一致时才信任：伪造的数据包可能删除或篡改您的记录。</translation>
    </message>
    <message>
        <source>Delete records</source>
        <translation>删除记录</translation>
    </message>
    <message>
        <source>This bundle would delete %1 records on this laptop. Check the dry run&apos;s report first. Delete them?</source>
        <translation>此数据包将删除本机 %1 条记录。请先查看预演报告核对。确定删除吗？</translation>
    </message>
    <message>
        <source>%1 rows: %2 valid, %3 with errors; %4 errors, %5 warnings.</source>
        <translation>共 %1 行：有效 %2 行，有错误 %3 行；错误 %4 处，提示 %5 处。</translation>
    </message>
    <message>
        <source>With errors nothing is imported unless you choose to skip the rows with errors.</source>
        <translation>存在错误时不会导入任何数据，除非选择跳过有错误的行。</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入……</translation>
    </message>
    <message>
        <source>Cancelling… nothing will be written.</source>
        <translation>正在取消……不会写入任何数据。</translation>
    </message>
    <message>
        <source>Import finished</source>
        <translation>导入完成</translation>
    </message>
    <message>
        <source>%1 households imported, %2 rows skipped.</source>
        <translation>已导入 %1 户，跳过 %2 行。</translation>
    </message>
    <message>
        <source>Nothing was imported: %1 errors. Correct the file or skip the rows with errors.</source>
        <translation>未导入任何数据：有 %1 处错误。请修改文件，或选择跳过有错误的行。</translation>
    </message>
    <message>
        <source>Import cancelled; nothing was written.</source>
        <translation>已取消导入，未写入任何数据。</translation>
    </message>
    <message>
        <source>Import failed; nothing was written</source>
        <translation>导入失败，未写入任何数据</translation>
    </message>
</context>
<context>
    <name>InspectionDialog</name>
    <message>
        <source>Log an inspection</source>
        <translation>登记巡查</translation>
    </message>
    <message>
        <source>Correct the inspection</source>
        <translation>更正巡查记录</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Places inspected</source>
        <translation>巡查部位</translation>
    </message>
    <message>
        <source>Supervisors</source>
        <translation>监督员</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <source>Weather</source>
        <translation>天气</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>What was wrong in the record</source>
        <translation>记录中哪里错了（必填）</translation>
    </message>
    <message>
        <source>Reason for the correction</source>
        <translation>更正的原因</translation>
    </message>
</context>
<context>
    <name>ItemDialog</name>
    <message>
        <source>Agenda item</source>
        <translation>所属议程</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>议程</translation>
    </message>
    <message>
        <source>Presenter</source>
        <translation>汇报人</translation>
    </message>
    <message>
        <source>Planned time</source>
        <translation>计划时长</translation>
    </message>
</context>
<context>
    <name>LeasesPage</name>
    <message>
        <source>Address</source>
        <translation>房屋地址</translation>
    </message>
    <message>
        <source>Owners</source>
        <translation>产权人</translation>
    </message>
    <message>
        <source>Area (m²)</source>
        <translation>面积（㎡）</translation>
    </message>
    <message>
        <source>Protection</source>
        <translation>保护类别</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>现状</translation>
    </message>
    <message>
        <source>Restoration</source>
        <translation>修缮</translation>
    </message>
    <message>
        <source>Business</source>
        <translation>业态/经营者</translation>
    </message>
    <message>
        <source>Contract</source>
        <translation>合同</translation>
    </message>
    <message>
        <source>Lease ends</source>
        <translation>合同到期</translation>
    </message>
    <message>
        <source>Arrears (yuan)</source>
        <translation>欠付（元）</translation>
    </message>
    <message>
        <source>House</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Lessors</source>
        <translation>出租人</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Ends</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Lease year</source>
        <translation>租赁年度</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>计租期间</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>应付日期</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已付</translation>
    </message>
    <message>
        <source>Days overdue</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <source>Paid on</source>
        <translation>付款日期</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>付款方式</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>凭证号</translation>
    </message>
    <message>
        <source>Received by</source>
        <translation>收款人</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Register a house…</source>
        <translation>登记房屋……</translation>
    </message>
    <message>
        <source>Correct house…</source>
        <translation>更正房屋信息……</translation>
    </message>
    <message>
        <source>Sign a contract…</source>
        <translation>签订合同……</translation>
    </message>
    <message>
        <source>Restoration…</source>
        <translation>登记修缮……</translation>
    </message>
    <message>
        <source>Correct restoration…</source>
        <translation>更正修缮……</translation>
    </message>
    <message>
        <source>Business…</source>
        <translation>登记入驻……</translation>
    </message>
    <message>
        <source>Add photos…</source>
        <translation>添加照片……</translation>
    </message>
    <message>
        <source>Print register…</source>
        <translation>打印登记表……</translation>
    </message>
    <message>
        <source>Stored houses</source>
        <translation>收储房屋</translation>
    </message>
    <message>
        <source>Record payment…</source>
        <translation>登记付款……</translation>
    </message>
    <message>
        <source>Correct payment…</source>
        <translation>更正付款……</translation>
    </message>
    <message>
        <source>Void payment…</source>
        <translation>作废付款……</translation>
    </message>
    <message>
        <source>Amend…</source>
        <translation>修订……</translation>
    </message>
    <message>
        <source>Correct parties…</source>
        <translation>更正当事人……</translation>
    </message>
    <message>
        <source>Renew…</source>
        <translation>续签……</translation>
    </message>
    <message>
        <source>Terminate…</source>
        <translation>解除……</translation>
    </message>
    <message>
        <source>Print contract…</source>
        <translation>打印合同……</translation>
    </message>
    <message>
        <source>Print schedule…</source>
        <translation>打印租金计划……</translation>
    </message>
    <message>
        <source>Print statement…</source>
        <translation>打印对账单……</translation>
    </message>
    <message>
        <source>Contracts and rent</source>
        <translation>合同与租金</translation>
    </message>
    <message>
        <source>Rent paid to owners and income from operators, by year</source>
        <translation>逐年支付产权人租金与经营者租金收入</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>看板</translation>
    </message>
    <message>
        <source>%1 houses, %2 with a business, %3 under restoration</source>
        <translation>共 %1 处，已入驻 %2 处，修缮中 %3 处</translation>
    </message>
    <message>
        <source>days</source>
        <translation>天</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Stored houses: %1; with a business: %2; under restoration: %3; active contracts: %4</source>
        <translation>收储房屋：%1 处；已入驻：%2 处；修缮中：%3 处；生效合同：%4 份</translation>
    </message>
    <message>
        <source>Arrears: %1 yuan in %2 contracts (%3)</source>
        <translation>欠付租金：%1 元，涉及 %2 份合同（%3）</translation>
    </message>
    <message>
        <source>Due this month: %1 yuan; this quarter: %2 yuan</source>
        <translation>本月应付：%1 元；本季度应付：%2 元</translation>
    </message>
    <message>
        <source>Expiring within 6 months: %1</source>
        <translation>6 个月内到期：%1</translation>
    </message>
    <message>
        <source>10,000 yuan</source>
        <translation>万元</translation>
    </message>
    <message>
        <source>Rent to owners</source>
        <translation>支付产权人租金</translation>
    </message>
    <message>
        <source>Income from operators</source>
        <translation>经营者租金收入</translation>
    </message>
    <message>
        <source>+%1% every %2 lease years, compounding</source>
        <translation>每 %2 个租赁年度递增 %1%（在上一阶段基础上）</translation>
    </message>
    <message>
        <source>+%1% every %2 lease years, on the base</source>
        <translation>每 %2 个租赁年度递增 %1%（以首年租金为基数）</translation>
    </message>
    <message>
        <source>version %1</source>
        <translation>第 %1 版</translation>
    </message>
    <message>
        <source>months</source>
        <translation>个月</translation>
    </message>
    <message>
        <source>base</source>
        <translation>首年租金</translation>
    </message>
    <message>
        <source>Lessors: %1</source>
        <translation>出租人：%1</translation>
    </message>
    <message>
        <source>Total rent over the term: %1 yuan</source>
        <translation>租期内租金总额：%1 元</translation>
    </message>
    <message>
        <source>Arrears as of %1: %2 yuan · paid %3 yuan · paid in advance %4 yuan</source>
        <translation>截至 %1 欠付 %2 元 · 已付 %3 元 · 预付 %4 元</translation>
    </message>
    <message>
        <source>House registered</source>
        <translation>房屋已登记</translation>
    </message>
    <message>
        <source>House corrected</source>
        <translation>已更正房屋信息</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>This house has no restoration works recorded.</source>
        <translation>这处房屋还没有修缮记录。</translation>
    </message>
    <message>
        <source>Restoration record corrected</source>
        <translation>已更正修缮记录</translation>
    </message>
    <message>
        <source>Add photos</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <source>Images (*.jpg *.jpeg *.png *.heic *.bmp)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.heic *.bmp)</translation>
    </message>
    <message>
        <source>%1 photos added</source>
        <translation>已添加 %1 张照片</translation>
    </message>
    <message>
        <source>Sign a contract</source>
        <translation>签订合同</translation>
    </message>
    <message>
        <source>Select a house in the register first.</source>
        <translation>请先在登记表中选择一处房屋。</translation>
    </message>
    <message>
        <source>Unpaid</source>
        <translation>未付</translation>
    </message>
    <message>
        <source>Contract signed</source>
        <translation>合同已签订</translation>
    </message>
    <message>
        <source>Contract saved</source>
        <translation>合同已保存</translation>
    </message>
    <message>
        <source>Contract parties corrected</source>
        <translation>已更正合同当事人</translation>
    </message>
    <message>
        <source>Terminate</source>
        <translation>解除合同</translation>
    </message>
    <message>
        <source>Reason (e.g. arrears after demand, Civil Code art. 722)</source>
        <translation>原因（例如经催告后仍欠付租金，《民法典》第七百二十二条）</translation>
    </message>
    <message>
        <source>Contract terminated</source>
        <translation>合同已解除</translation>
    </message>
    <message>
        <source>Payment recorded</source>
        <translation>付款已登记</translation>
    </message>
    <message>
        <source>Select a payment (not a voided one) in the list first.</source>
        <translation>请先在付款列表中选择一笔付款（已作废的不能更正）。</translation>
    </message>
    <message>
        <source>Payment corrected</source>
        <translation>已更正付款（原记录已作废，保留在明细中）</translation>
    </message>
    <message>
        <source>Void payment</source>
        <translation>作废付款</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Payment voided</source>
        <translation>付款已作废</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>empty: the logged-in account; or an administrator&apos;s name</source>
        <translation>留空：当前登录账户；或填写管理员账户名</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Locked — %1</source>
        <translation>已锁定 — %1</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Log in with your account. Every change you make is recorded under this name.</source>
        <translation>请用您的账户登录。您所做的每一项修改都以此账户名记入审计日志。</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Renewal Desk</source>
        <translation>街区更新议事台</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Projects and households</source>
        <translation>项目与住户</translation>
    </message>
    <message>
        <source>Demand ordering</source>
        <translation>居民点单</translation>
    </message>
    <message>
        <source>Consultation meetings</source>
        <translation>议事协商</translation>
    </message>
    <message>
        <source>Supervision feedback</source>
        <translation>监督反馈</translation>
    </message>
    <message>
        <source>Chief street designer</source>
        <translation>首席街长</translation>
    </message>
    <message>
        <source>Rent-storage leases</source>
        <translation>收储租</translation>
    </message>
    <message>
        <source>Export and backup</source>
        <translation>导出与备份</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Opening the database…</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <source>Account: %1 (%2)</source>
        <translation>账户：%1（%2）</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Lock screen</source>
        <translation>锁定屏幕</translation>
    </message>
    <message>
        <source>Office profile…</source>
        <translation>单位信息…</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>Import bundle…</source>
        <translation>导入数据包…</translation>
    </message>
    <message>
        <source>File signed copies…</source>
        <translation>归档签字件…</translation>
    </message>
    <message>
        <source>Encrypt database…</source>
        <translation>加密数据库…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>Database…</source>
        <translation>数据库…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>About Renewal Desk</source>
        <translation>关于街区更新议事台</translation>
    </message>
    <message>
        <source>Encrypt database</source>
        <translation>加密数据库</translation>
    </message>
    <message>
        <source>This database is already encrypted.</source>
        <translation>此数据库已经加密。</translation>
    </message>
    <message>
        <source>Only an administrator may encrypt the database.</source>
        <translation>只有管理员可以加密数据库。</translation>
    </message>
    <message>
        <source>After encryption this database and its backups cannot be opened without the passphrase. A lost passphrase means lost data: nobody can recover it, not even the program&apos;s makers. Write it down and give it to the office&apos;s head.

Encrypt now?</source>
        <translation>加密后，没有口令就无法打开这个数据库和它的备份。口令丢失＝数据丢失：任何人（包括本程序的开发者）都无法找回。请把口令写下来，交给单位负责人妥善保管。

现在加密吗？</translation>
    </message>
    <message>
        <source>New passphrase (at least 8 characters):</source>
        <translation>新口令（至少 8 个字符）：</translation>
    </message>
    <message>
        <source>The same passphrase again:</source>
        <translation>再输入一次口令：</translation>
    </message>
    <message>
        <source>The database and %1 backups are encrypted. Opening it now asks for the passphrase.</source>
        <translation>数据库和 %1 份备份已加密。以后打开时须输入口令。</translation>
    </message>
    <message>
        <source>Office profile saved: printouts now name %1</source>
        <translation>单位信息已保存：打印的文书将署名 %1</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Saved: Renewal Desk opens this database from the next start. Reconnect now? This window closes and opens it.</source>
        <translation>已保存：下次启动时打开这个数据库。现在就重新连接吗？本窗口将关闭并打开它。</translation>
    </message>
    <message>
        <source>Renewal Desk %1
The sub-district&apos;s offline desk for neighbourhood renewal.</source>
        <translation>街区更新议事台 %1
街道社区开展街区更新的离线工作台。</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>数据库：%1</translation>
    </message>
    <message>
        <source>Last backup: %1</source>
        <translation>最近备份：%1</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>尚无</translation>
    </message>
    <message>
        <source>Automatic backup failed: %1</source>
        <translation>自动备份失败：%1</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Replace the current data with the backup %1? The current data is backed up first.</source>
        <translation>用备份 %1 替换当前数据吗？替换前会先备份当前数据。</translation>
    </message>
    <message>
        <source>Backup failed</source>
        <translation>备份失败</translation>
    </message>
    <message>
        <source>The backup on close failed: %1</source>
        <translation>关闭时的备份失败：%1</translation>
    </message>
</context>
<context>
    <name>MeetingDialog</name>
    <message>
        <source>Edit the meeting</source>
        <translation>编辑会议</translation>
    </message>
    <message>
        <source>New meeting</source>
        <translation>新建会议</translation>
    </message>
    <message>
        <source>(no project)</source>
        <translation>（不属于项目）</translation>
    </message>
    <message>
        <source>Names separated by 、</source>
        <translation>多人以“、”分隔</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>会议名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>会议类型</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>所属项目</translation>
    </message>
    <message>
        <source>Owners&apos; scope (buildings; none = whole project)</source>
        <translation>业主表决范围（楼栋；不选为整个项目）</translation>
    </message>
    <message>
        <source>Starts</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Ends</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>会议地点</translation>
    </message>
    <message>
        <source>Chair</source>
        <translation>主持人</translation>
    </message>
    <message>
        <source>Recorder</source>
        <translation>记录人</translation>
    </message>
    <message>
        <source>Scrutineers</source>
        <translation>监票人/计票人</translation>
    </message>
    <message>
        <source>Purpose (on the notice)</source>
        <translation>会议事由（印在通知上）</translation>
    </message>
</context>
<context>
    <name>MeetingProjector</name>
    <message>
        <source>Meeting — projector</source>
        <translation>会议 — 投影</translation>
    </message>
    <message>
        <source>Expected %1 · present %2</source>
        <translation>应到 %1 · 实到 %2</translation>
    </message>
    <message>
        <source>Place: %1</source>
        <translation>地点：%1</translation>
    </message>
    <message>
        <source>Residents&apos; ordering: %1</source>
        <translation>居民点单结果：%1</translation>
    </message>
    <message>
        <source>… %1 items before</source>
        <translation>… 前 %1 项</translation>
    </message>
    <message>
        <source>… %1 more items</source>
        <translation>… 后 %1 项</translation>
    </message>
    <message>
        <source>Who votes: %1</source>
        <translation>表决范围：%1</translation>
    </message>
    <message>
        <source>Rule: %1 (%2)</source>
        <translation>表决规则：%1（%2）</translation>
    </message>
    <message>
        <source>Method: %1</source>
        <translation>表决方式：%1</translation>
    </message>
    <message>
        <source>Not yet put to the vote</source>
        <translation>尚未开始表决</translation>
    </message>
    <message>
        <source>%1 · %2 (%3)</source>
        <translation>%1 · %2（%3）</translation>
    </message>
    <message>
        <source>Voting… (the result is not yet declared)</source>
        <translation>正在表决…（结果尚未宣布）</translation>
    </message>
    <message>
        <source>PASSED</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>NOT PASSED</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>No answers yet</source>
        <translation>尚无反馈</translation>
    </message>
</context>
<context>
    <name>MeetingsPage</name>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Role / organisation</source>
        <translation>身份/单位</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>楼栋房号</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>签到时间</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>离场</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>代理人</translation>
    </message>
    <message>
        <source>Matched by</source>
        <translation>匹配依据</translation>
    </message>
    <message>
        <source>Motion</source>
        <translation>表决事项</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>表决规则</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>表决方式</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Area (m²)</source>
        <translation>面积（㎡）</translation>
    </message>
    <message>
        <source>Present at the vote</source>
        <translation>表决时在场</translation>
    </message>
    <message>
        <source>Choice</source>
        <translation>表决意见</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>责任人/单位</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>会议</translation>
    </message>
    <message>
        <source>Reviewed here</source>
        <translation>本次会议听取情况</translation>
    </message>
    <message>
        <source>New meeting…</source>
        <translation>新建会议…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始会议</translation>
    </message>
    <message>
        <source>End</source>
        <translation>结束会议</translation>
    </message>
    <message>
        <source>Reopen…</source>
        <translation>重新打开…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Projector</source>
        <translation>投影</translation>
    </message>
    <message>
        <source>Ordering results on the wall</source>
        <translation>点单结果上墙</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Meeting notice</source>
        <translation>会议通知</translation>
    </message>
    <message>
        <source>Sign-in sheet</source>
        <translation>签到表</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>会议记录</translation>
    </message>
    <message>
        <source>Resolution notice (public)</source>
        <translation>决议公示（张贴用）</translation>
    </message>
    <message>
        <source>Personal notices with sign-in codes</source>
        <translation>个人会议通知（含签到码）</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>签到</translation>
    </message>
    <message>
        <source>Agenda and minutes</source>
        <translation>议程与记录</translation>
    </message>
    <message>
        <source>Motions and votes</source>
        <translation>表决</translation>
    </message>
    <message>
        <source>Resolutions and tasks</source>
        <translation>决议与任务</translation>
    </message>
    <message>
        <source>No meetings yet: press “New meeting…”</source>
        <translation>还没有会议：请点“新建会议…”</translation>
    </message>
    <message>
        <source>The meeting has ended: it is a record and can no longer be changed (an administrator may reopen it, giving a reason).</source>
        <translation>会议已结束，现为存档记录，不能再更改（管理员可填写原因重新打开）。</translation>
    </message>
    <message>
        <source>The meeting is under way</source>
        <translation>会议已在进行中</translation>
    </message>
    <message>
        <source>Start the meeting first</source>
        <translation>请先开始会议</translation>
    </message>
    <message>
        <source>Only a meeting still being prepared can be deleted</source>
        <translation>只有筹备中的会议可以删除（开过的会是记录，须保留）</translation>
    </message>
    <message>
        <source>End “%1”? Afterwards it is a record: sign-ins, agenda, minutes, votes and tasks can no longer be changed (an administrator may reopen it with a reason).</source>
        <translation>结束“%1”？结束后会议即成为记录：签到、议程、记录、表决和任务都不能再更改（管理员可写明原因后重新打开）。</translation>
    </message>
    <message>
        <source>Still open:</source>
        <translation>尚未完成：</translation>
    </message>
    <message>
        <source>End the meeting</source>
        <translation>结束会议</translation>
    </message>
    <message>
        <source>Reopen the meeting</source>
        <translation>重新打开会议</translation>
    </message>
    <message>
        <source>Why is the ended meeting reopened? (kept in the audit log)</source>
        <translation>重新打开已结束会议的原因（记入操作日志）：</translation>
    </message>
    <message>
        <source>Delete “%1” with its list of invitees, agenda, motions and tasks? The deletion is kept in the audit log.</source>
        <translation>删除“%1”及其参会名单、议程、议题和任务？删除记录保存在审计日志中。</translation>
    </message>
    <message>
        <source>Delete the meeting</source>
        <translation>删除会议</translation>
    </message>
    <message>
        <source>Deleted: %1</source>
        <translation>已删除：%1</translation>
    </message>
    <message>
        <source>Before printing the resolution notice:</source>
        <translation>打印决议公示之前请注意：</translation>
    </message>
    <message>
        <source>Print it anyway?</source>
        <translation>仍要打印吗？</translation>
    </message>
    <message>
        <source>Show on screen</source>
        <translation>投影到屏幕</translation>
    </message>
</context>
<context>
    <name>MenuDialog</name>
    <message>
        <source>Ordering menu</source>
        <translation>点单菜单</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>新增……</translation>
    </message>
    <message>
        <source>Retire / restore</source>
        <translation>停用/启用</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source> (retired)</source>
        <translation>（已停用）</translation>
    </message>
    <message>
        <source>Add an item</source>
        <translation>新增菜单项</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>类别</translation>
    </message>
</context>
<context>
    <name>MotionDialog</name>
    <message>
        <source>Motion</source>
        <translation>表决事项</translation>
    </message>
    <message>
        <source>Consultative vote: simple majority of those voting</source>
        <translation>协商表决：参与表决人数简单多数</translation>
    </message>
    <message>
        <source>Owners, ordinary matter (Art. 278): double 2/3 take part, double majority</source>
        <translation>业主一般事项（第278条）：双三分之二参与，双过半同意</translation>
    </message>
    <message>
        <source>Owners, major matter (Art. 278): double 2/3 take part, double 3/4</source>
        <translation>业主特别事项（第278条）：双三分之二参与，双四分之三同意</translation>
    </message>
    <message>
        <source>(no agenda item)</source>
        <translation>（不属于某项议程）</translation>
    </message>
    <message>
        <source>The meeting&apos;s whole scope</source>
        <translation>本次会议的全部范围</translation>
    </message>
    <message>
        <source>Chosen buildings</source>
        <translation>指定楼栋</translation>
    </message>
    <message>
        <source>Chosen units</source>
        <translation>指定单元</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>表决规则</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>表决方式</translation>
    </message>
    <message>
        <source>Agenda item</source>
        <translation>所属议程</translation>
    </message>
    <message>
        <source>Who votes</source>
        <translation>表决范围</translation>
    </message>
</context>
<context>
    <name>NoticeDialog</name>
    <message>
        <source>Re-issue the rectification notice</source>
        <translation>重新下发整改通知</translation>
    </message>
    <message>
        <source>Issue a rectification notice</source>
        <translation>发出整改通知单</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Measures required</source>
        <translation>整改措施和要求</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Responsible party</source>
        <translation>责任单位</translation>
    </message>
    <message>
        <source>Issued on</source>
        <translation>发出日期</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>整改期限</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Re-check method</source>
        <translation>复查方式</translation>
    </message>
    <message>
        <source>Objections within</source>
        <translation>异议期</translation>
    </message>
    <message>
        <source>Issued by</source>
        <translation>签发人</translation>
    </message>
</context>
<context>
    <name>OfficeProfileDialog</name>
    <message>
        <source>Office profile</source>
        <translation>单位信息</translation>
    </message>
    <message>
        <source>Office name</source>
        <translation>单位名称</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>单位地址</translation>
    </message>
    <message>
        <source>Responsible person</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Seal text</source>
        <translation>印章文字</translation>
    </message>
    <message>
        <source>e.g. 幸福街道办事处</source>
        <translation>例如：幸福街道办事处</translation>
    </message>
    <message>
        <source>as on the seal; empty: the office name</source>
        <translation>与印章一致；不填则用单位名称</translation>
    </message>
</context>
<context>
    <name>OpinionDialog</name>
    <message>
        <source>Correct the opinion</source>
        <translation>更正意见</translation>
    </message>
    <message>
        <source>What was wrong in the record</source>
        <translation>记录中哪里错了（必填）</translation>
    </message>
    <message>
        <source>Reason for the correction</source>
        <translation>更正的原因</translation>
    </message>
</context>
<context>
    <name>OpinionEditor</name>
    <message>
        <source>Opinion %1</source>
        <translation>意见 %1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Concerns</source>
        <translation>关注方</translation>
    </message>
    <message>
        <source>Observed</source>
        <translation>现场情况</translation>
    </message>
    <message>
        <source>Opinion</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Addressed to</source>
        <translation>致送</translation>
    </message>
    <message>
        <source>Respond by</source>
        <translation>答复期限</translation>
    </message>
    <message>
        <source>Cites</source>
        <translation>引用记录</translation>
    </message>
</context>
<context>
    <name>OrderingPage</name>
    <message>
        <source>Tier</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>户数</translation>
    </message>
    <message>
        <source>Of all</source>
        <translation>占全部户数</translation>
    </message>
    <message>
        <source>Of answered</source>
        <translation>占反馈户数</translation>
    </message>
    <message>
        <source>By area</source>
        <translation>按面积</translation>
    </message>
    <message>
        <source>Priority 1/2/3</source>
        <translation>优先级 1/2/3</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>表决范围</translation>
    </message>
    <message>
        <source>Owners (took part / all)</source>
        <translation>业主（实到/应到）</translation>
    </message>
    <message>
        <source>Participation (owners / area)</source>
        <translation>参与率（人数/面积）</translation>
    </message>
    <message>
        <source>Yes / no / abstain</source>
        <translation>同意/反对/弃权</translation>
    </message>
    <message>
        <source>Approval (owners / area)</source>
        <translation>同意率（人数/面积）</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Building / unit</source>
        <translation>楼栋/单元</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>房号</translation>
    </message>
    <message>
        <source>Head of household</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Round</source>
        <translation>点单轮次</translation>
    </message>
    <message>
        <source>New round…</source>
        <translation>新建轮次……</translation>
    </message>
    <message>
        <source>Open for answers</source>
        <translation>开始征集</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>截止</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>公示</translation>
    </message>
    <message>
        <source>Reopen…</source>
        <translation>重新开放……</translation>
    </message>
    <message>
        <source>Menu…</source>
        <translation>菜单……</translation>
    </message>
    <message>
        <source>Projector</source>
        <translation>投影</translation>
    </message>
    <message>
        <source>Household: name, pinyin initials or room; Enter picks the first</source>
        <translation>住户：姓名、拼音首字母、房号或电话尾号；回车选中第一个</translation>
    </message>
    <message>
        <source>No household chosen</source>
        <translation>尚未选择住户</translation>
    </message>
    <message>
        <source>Remarks</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Save (Ctrl+Enter)</source>
        <translation>保存（Ctrl+回车）</translation>
    </message>
    <message>
        <source>Keys: ↑/↓ move · Space tick · 1/2/3 priority · Y/N/A vote on consent items · Ctrl+Enter save and next</source>
        <translation>按键：↑/↓ 移动 · 空格 勾选 · 1/2/3 优先级 · Y/N/A 表决（同意/不同意/弃权）· Ctrl+回车 保存并录入下一份</translation>
    </message>
    <message>
        <source>Filled by</source>
        <translation>填表人</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>收集方式</translation>
    </message>
    <message>
        <source>Print forms for a building…</source>
        <translation>打印楼栋点单表……</translation>
    </message>
    <message>
        <source>Print notice…</source>
        <translation>打印公示……</translation>
    </message>
    <message>
        <source>Print follow-up list…</source>
        <translation>打印走访清单……</translation>
    </message>
    <message>
        <source>Enter forms</source>
        <translation>录入点单</translation>
    </message>
    <message>
        <source>Tallies</source>
        <translation>统计</translation>
    </message>
    <message>
        <source>Owners&apos; consent</source>
        <translation>业主表决</translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation>未反馈</translation>
    </message>
    <message>
        <source>No ordering round yet: create one</source>
        <translation>还没有点单轮次，请新建</translation>
    </message>
    <message>
        <source>Tick</source>
        <translation>勾选</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Vote</source>
        <translation>表决</translation>
    </message>
    <message>
        <source>New round</source>
        <translation>新建点单轮次</translation>
    </message>
    <message>
        <source>Create a project first.</source>
        <translation>请先建立项目。</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Buildings in this round</source>
        <translation>本轮点单包括的楼栋</translation>
    </message>
    <message>
        <source>The round is now %1</source>
        <translation>本轮点单已改为“%1”</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>重新开放</translation>
    </message>
    <message>
        <source>Why reopen? (recorded in the audit log)</source>
        <translation>重新开放的原因（记入审计日志）</translation>
    </message>
    <message>
        <source>already answered: editing</source>
        <translation>已答，正在修改</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation>已保存：%1</translation>
    </message>
    <message>
        <source>Chief street designer&apos;s opinions on this round:</source>
        <translation>引用本轮点单的首席街长意见：</translation>
    </message>
    <message>
        <source>Answered %1 of %2 households (%3); by area %4</source>
        <translation>已反馈 %1 户 / 共 %2 户（%3）；按面积 %4</translation>
    </message>
    <message>
        <source>%1 households have not answered</source>
        <translation>%1 户尚未反馈</translation>
    </message>
    <message>
        <source>Answered (%)</source>
        <translation>反馈率（%）</translation>
    </message>
    <message>
        <source>Print forms</source>
        <translation>打印点单表</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Click a line to open that record</source>
        <translation>点击一行即打开该记录</translation>
    </message>
    <message>
        <source>To do today</source>
        <translation>今日待办</translation>
    </message>
    <message>
        <source>Recent changes</source>
        <translation>最近的修改</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Projects: %1    Buildings: %2    Households: %3    Residents: %4    Other people (lessors, attendees…): %5</source>
        <translation>项目：%1    楼栋：%2    住户：%3    居民：%4    其他人员（出租人、参会人等）：%5</translation>
    </message>
    <message>
        <source>Nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Click to open</source>
        <translation>点击打开</translation>
    </message>
    <message>
        <source>Rent in arrears by age (yuan)</source>
        <translation>拖欠租金账龄（元）</translation>
    </message>
    <message>
        <source>Ordering return rate (%)</source>
        <translation>点单回收率（%）</translation>
    </message>
</context>
<context>
    <name>PartiesDialog</name>
    <message>
        <source>Correct the contract&apos;s parties</source>
        <translation>更正合同当事人</translation>
    </message>
    <message>
        <source>What was wrong in the record</source>
        <translation>记录中哪里错了（必填）</translation>
    </message>
    <message>
        <source>Contract</source>
        <translation>合同</translation>
    </message>
    <message>
        <source>Lessors (owners who sign)</source>
        <translation>出租人（签字的产权人）</translation>
    </message>
    <message>
        <source>Lessee</source>
        <translation>承租方</translation>
    </message>
    <message>
        <source>Lessee&apos;s representative</source>
        <translation>承租方负责人</translation>
    </message>
    <message>
        <source>Lessee&apos;s address</source>
        <translation>承租方住所</translation>
    </message>
    <message>
        <source>Reason for the correction</source>
        <translation>更正的原因</translation>
    </message>
</context>
<context>
    <name>PartyDialog</name>
    <message>
        <source>Add a party</source>
        <translation>添加参建单位</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名/名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <source>Record a rent payment to the owner</source>
        <translation>登记向产权人支付租金</translation>
    </message>
    <message>
        <source>Correct the rent payment</source>
        <translation>更正付款记录</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>原记录</translation>
    </message>
    <message>
        <source>Paid on</source>
        <translation>付款日期</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>付款方式</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>凭证号</translation>
    </message>
    <message>
        <source>Received by</source>
        <translation>收款人</translation>
    </message>
    <message>
        <source>e.g. amount typed wrong</source>
        <translation>例如：金额录错</translation>
    </message>
    <message>
        <source>Reason for the correction</source>
        <translation>更正的原因</translation>
    </message>
</context>
<context>
    <name>PhotoList</name>
    <message>
        <source>Add photos…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <source>Add photos</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <source>Images (*.jpg *.jpeg *.png *.gif *.bmp)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.gif *.bmp)</translation>
    </message>
</context>
<context>
    <name>PrintPreviewDialog</name>
    <message>
        <source>Print preview — %1</source>
        <translation>打印预览 — %1</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ 上一页</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>下一页 ▶</translation>
    </message>
    <message>
        <source> / %1</source>
        <translation> / %1</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Page</source>
        <translation>第</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>缩放</translation>
    </message>
    <message>
        <source>The document has no pages.</source>
        <translation>该文书没有页面。</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Sent %1 pages to %2</source>
        <translation>已将 %1 页发送到 %2</translation>
    </message>
    <message>
        <source>Printing failed</source>
        <translation>打印失败</translation>
    </message>
    <message>
        <source>The printer could not be opened: %1</source>
        <translation>无法打开打印机：%1</translation>
    </message>
    <message>
        <source>Saving failed</source>
        <translation>保存失败</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
    <message>
        <source>Saved %1 (%2 pages)</source>
        <translation>已保存 %1（%2 页）</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>Open the file</source>
        <translation>打开文件</translation>
    </message>
    <message>
        <source>Open the folder</source>
        <translation>打开所在文件夹</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>Save as PDF</source>
        <translation>保存为 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印……</translation>
    </message>
    <message>
        <source>Making the PDF…</source>
        <translation>正在生成 PDF……</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Printing</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消……</translation>
    </message>
    <message>
        <source>Laid out %1 pages</source>
        <translation>已排版 %1 页</translation>
    </message>
    <message>
        <source>Printing cancelled; nothing was saved.</source>
        <translation>已取消打印，未保存任何文件。</translation>
    </message>
    <message>
        <source>Printing failed: %1</source>
        <translation>打印失败：%1</translation>
    </message>
    <message>
        <source>Printing failed</source>
        <translation>打印失败</translation>
    </message>
    <message>
        <source>Making the PDF… %1 pages laid out</source>
        <translation>正在生成 PDF……已排 %1 页</translation>
    </message>
    <message>
        <source>Print %1</source>
        <translation>打印%1</translation>
    </message>
    <message>
        <source>(dates below)</source>
        <translation>（按下面的日期）</translation>
    </message>
    <message>
        <source>Statement date</source>
        <translation>对账日期</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Saved %1 (%2 pages)</source>
        <translation>已保存 %1（共 %2 页）</translation>
    </message>
</context>
<context>
    <name>ProblemDialog</name>
    <message>
        <source>Record a problem</source>
        <translation>登记问题</translation>
    </message>
    <message>
        <source>Correct the problem</source>
        <translation>更正监督问题</translation>
    </message>
    <message>
        <source>(not from an inspection)</source>
        <translation>（非巡查发现）</translation>
    </message>
    <message>
        <source>(no building)</source>
        <translation>（不在楼栋）</translation>
    </message>
    <message>
        <source>e.g. east wall, 3rd floor; or a place without a building</source>
        <translation>如：东立面三层；或不在楼栋的地点</translation>
    </message>
    <message>
        <source>Standard or contract clause</source>
        <translation>标准规范或合同条款</translation>
    </message>
    <message>
        <source>(not yet known)</source>
        <translation>（尚未确定）</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>程度</translation>
    </message>
    <message>
        <source>Inspection</source>
        <translation>巡查记录</translation>
    </message>
    <message>
        <source>Found on</source>
        <translation>发现日期</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Works package</source>
        <translation>工程包</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>问题描述</translation>
    </message>
    <message>
        <source>Basis</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>Measures required</source>
        <translation>整改措施和要求</translation>
    </message>
    <message>
        <source>Responsible party</source>
        <translation>责任单位</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>What was wrong in the record</source>
        <translation>记录中哪里错了（必填）</translation>
    </message>
    <message>
        <source>Reason for the correction</source>
        <translation>更正的原因</translation>
    </message>
    <message>
        <source>(whole building)</source>
        <translation>（整栋）</translation>
    </message>
</context>
<context>
    <name>ProblemsTab</name>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Overdue only</source>
        <translation>只看逾期</translation>
    </message>
    <message>
        <source>Open only</source>
        <translation>只看未关闭</translation>
    </message>
    <message>
        <source>Search description, place, party, notice no.</source>
        <translation>搜索问题描述、位置、责任单位、通知单编号</translation>
    </message>
    <message>
        <source>Log inspection…</source>
        <translation>登记巡查…</translation>
    </message>
    <message>
        <source>Record problem…</source>
        <translation>登记问题…</translation>
    </message>
    <message>
        <source>Correct problem…</source>
        <translation>更正问题…</translation>
    </message>
    <message>
        <source>Issue notice…</source>
        <translation>发整改通知…</translation>
    </message>
    <message>
        <source>Reply…</source>
        <translation>整改回复…</translation>
    </message>
    <message>
        <source>Re-check…</source>
        <translation>复查…</translation>
    </message>
    <message>
        <source>Re-issue notice…</source>
        <translation>重新下发整改通知…</translation>
    </message>
    <message>
        <source>Close…</source>
        <translation>关闭…</translation>
    </message>
    <message>
        <source>Add photos…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <source>Print notice…</source>
        <translation>打印通知单…</translation>
    </message>
    <message>
        <source>Select a problem to see its history and photos.</source>
        <translation>选择一个问题，查看处理经过和照片。</translation>
    </message>
    <message>
        <source>History</source>
        <translation>处理经过</translation>
    </message>
    <message>
        <source>%1 days overdue</source>
        <translation>逾期 %1 天</translation>
    </message>
    <message>
        <source>Basis: %1</source>
        <translation>依据：%1</translation>
    </message>
    <message>
        <source>Measures: %1</source>
        <translation>整改措施：%1</translation>
    </message>
    <message>
        <source>Responsible party: %1</source>
        <translation>责任单位：%1</translation>
    </message>
    <message>
        <source>photos</source>
        <translation>张照片</translation>
    </message>
    <message>
        <source>found</source>
        <translation>发现</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>文件丢失</translation>
    </message>
    <message>
        <source>unreadable</source>
        <translation>无法读取</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Inspection logged</source>
        <translation>已登记巡查</translation>
    </message>
    <message>
        <source>Problem recorded</source>
        <translation>已登记问题</translation>
    </message>
    <message>
        <source>Correct problem</source>
        <translation>更正问题</translation>
    </message>
    <message>
        <source>Select a problem first.</source>
        <translation>请先选择一个问题。</translation>
    </message>
    <message>
        <source>Problem corrected</source>
        <translation>已更正监督问题</translation>
    </message>
    <message>
        <source>Issue notice</source>
        <translation>发出整改通知</translation>
    </message>
    <message>
        <source>Select one or more problems of one party.</source>
        <translation>请选择同一责任单位的一个或多个问题。</translation>
    </message>
    <message>
        <source>Notice issued</source>
        <translation>已发出整改通知</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Select one problem.</source>
        <translation>请选择一个问题。</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>Re-check not passed</source>
        <translation>复查未通过</translation>
    </message>
    <message>
        <source>The re-check did not pass. Re-issue the rectification notice now, with a new deadline?</source>
        <translation>复查未通过。现在重新下发整改通知并确定新的整改期限吗？</translation>
    </message>
    <message>
        <source>Re-issue notice</source>
        <translation>重新下发整改通知</translation>
    </message>
    <message>
        <source>Only a problem whose re-check did not pass gets a re-issued notice.</source>
        <translation>只有复查未通过的问题才能重新下发整改通知。</translation>
    </message>
    <message>
        <source>Notice re-issued</source>
        <translation>已重新下发整改通知</translation>
    </message>
    <message>
        <source>Add photos</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <source>Images (*.jpg *.jpeg *.png *.gif *.bmp)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.gif *.bmp)</translation>
    </message>
    <message>
        <source>%1 photos added</source>
        <translation>已添加 %1 张照片</translation>
    </message>
    <message>
        <source>Print notice</source>
        <translation>打印通知单</translation>
    </message>
    <message>
        <source>The selected problem has no notice yet.</source>
        <translation>所选问题尚未发出整改通知。</translation>
    </message>
</context>
<context>
    <name>ProjectorWindow</name>
    <message>
        <source>Ordering results</source>
        <translation>居民点单结果</translation>
    </message>
    <message>
        <source>Answered: %1 of %2 households (%3)</source>
        <translation>已反馈 %1 户 / 共 %2 户（%3）</translation>
    </message>
    <message>
        <source>households</source>
        <translation>户</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>not passed</source>
        <translation>未通过</translation>
    </message>
</context>
<context>
    <name>ProxyDialog</name>
    <message>
        <source>Sign in by proxy</source>
        <translation>代理签到</translation>
    </message>
    <message>
        <source>Written authority (checked)</source>
        <translation>书面委托书（已核验）</translation>
    </message>
    <message>
        <source>For</source>
        <translation>被代理人</translation>
    </message>
    <message>
        <source>Proxy&apos;s name</source>
        <translation>代理人姓名</translation>
    </message>
    <message>
        <source>Authority</source>
        <translation>委托凭证</translation>
    </message>
</context>
<context>
    <name>RecordsTab</name>
    <message>
        <source>Correct inspection…</source>
        <translation>更正巡查记录…</translation>
    </message>
    <message>
        <source>Print inspection log…</source>
        <translation>打印巡查记录…</translation>
    </message>
    <message>
        <source>Print selected notice…</source>
        <translation>打印所选通知单…</translation>
    </message>
    <message>
        <source>Inspections</source>
        <translation>巡查记录</translation>
    </message>
    <message>
        <source>Rectification notices</source>
        <translation>整改通知单</translation>
    </message>
    <message>
        <source>Correct inspection</source>
        <translation>更正巡查记录</translation>
    </message>
    <message>
        <source>Select an inspection first.</source>
        <translation>请先在巡查记录中选择一条。</translation>
    </message>
    <message>
        <source>Inspection corrected</source>
        <translation>已更正巡查记录</translation>
    </message>
</context>
<context>
    <name>ResponseDialog</name>
    <message>
        <source>Record a response</source>
        <translation>记录答复</translation>
    </message>
    <message>
        <source>Amend the response</source>
        <translation>更正答复</translation>
    </message>
    <message>
        <source>Required when not adopted</source>
        <translation>未采纳时必填</translation>
    </message>
    <message>
        <source>What was wrong in the recorded response</source>
        <translation>原答复哪里有误</translation>
    </message>
    <message>
        <source>Opinion</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>原答复</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Answered on</source>
        <translation>答复日期</translation>
    </message>
    <message>
        <source>Answered by</source>
        <translation>答复人</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Reason for the correction</source>
        <translation>更正原因</translation>
    </message>
</context>
<context>
    <name>RestorationDialog</name>
    <message>
        <source>Record restoration works</source>
        <translation>登记恢复性修缮</translation>
    </message>
    <message>
        <source>Correct the restoration record</source>
        <translation>更正修缮记录</translation>
    </message>
    <message>
        <source>Finished on</source>
        <translation>竣工日期</translation>
    </message>
    <message>
        <source>Works</source>
        <translation>修缮内容</translation>
    </message>
    <message>
        <source>Started on</source>
        <translation>开工日期</translation>
    </message>
    <message>
        <source>Cost (yuan)</source>
        <translation>费用（元）</translation>
    </message>
    <message>
        <source>Funding source</source>
        <translation>资金来源</translation>
    </message>
    <message>
        <source>Residents&apos; participation</source>
        <translation>居民参与情况</translation>
    </message>
    <message>
        <source>What was wrong in the record</source>
        <translation>记录中哪里错了（必填）</translation>
    </message>
    <message>
        <source>Reason for the correction</source>
        <translation>更正的原因</translation>
    </message>
</context>
<context>
    <name>RosterPreviewModel</name>
    <message>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>片区</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>房号</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Area (m²)</source>
        <translation>面积（㎡）</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
</context>
<context>
    <name>ServerPasswordDialog</name>
    <message>
        <source>Office server password</source>
        <translation>办公室服务器密码</translation>
    </message>
    <message>
        <source>Password of %1:</source>
        <translation>%1 的密码：</translation>
    </message>
    <message>
        <source>Remember the password (system keyring)</source>
        <translation>记住密码（系统密钥环）</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Office profile (name, address, responsible person, phone, seal)…</source>
        <translation>单位信息（名称、地址、负责人、电话、印章）…</translation>
    </message>
    <message>
        <source>Accounts and screen lock</source>
        <translation>账户与屏幕锁定</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>No accounts yet: everyone works as an administrator. Restart the app to set one up.</source>
        <translation>尚未设置账户：所有人都以管理员身份工作。重新启动程序即可设置管理员。</translation>
    </message>
    <message>
        <source>Logged in</source>
        <translation>当前登录</translation>
    </message>
    <message>
        <source>Manage accounts…</source>
        <translation>账户管理…</translation>
    </message>
    <message>
        <source>Change my password…</source>
        <translation>修改我的密码…</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>never</source>
        <translation>不自动锁定</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Lock after inactivity</source>
        <translation>无操作自动锁定</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>Owners&apos; consent rules (Civil Code art. 278; local rules may only be stricter)</source>
        <translation>业主表决规则（《民法典》第二百七十八条；本地规则只能更严格）</translation>
    </message>
    <message>
        <source>Renovation, repair funds, common parts</source>
        <translation>改建重建、维修资金、共有部分用途</translation>
    </message>
    <message>
        <source>Other joint decisions</source>
        <translation>其他共同决定事项</translation>
    </message>
    <message>
        <source>participation ≥</source>
        <translation>参与表决 ≥</translation>
    </message>
    <message>
        <source>approval</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>Save rules</source>
        <translation>保存规则</translation>
    </message>
    <message>
        <source>No change</source>
        <translation>未修改</translation>
    </message>
    <message>
        <source>The new language is used from the next start.</source>
        <translation>新的界面语言将在下次启动时生效。</translation>
    </message>
</context>
<context>
    <name>SetupAdminDialog</name>
    <message>
        <source>Set up the administrator</source>
        <translation>设置管理员</translation>
    </message>
    <message>
        <source>This database has no accounts yet. Choose the administrator&apos;s name and a password (at least 8 characters). The administrator then adds staff and read-only accounts in Settings. Names already in the database stay as staff accounts without a password until the administrator gives them one.</source>
        <translation>此数据库还没有账户。请设置管理员的姓名和密码（至少 8 个字符）。之后由管理员在“设置”中添加工作人员和只读账户。数据库中已有的操作人姓名保留为没有密码的工作人员账户，由管理员为其设置密码后才能登录。</translation>
    </message>
    <message>
        <source>Set up and start</source>
        <translation>设置并开始</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>再次输入密码</translation>
    </message>
</context>
<context>
    <name>SignInTab</name>
    <message>
        <source>Name, pinyin initials, room or phone tail; ↑/↓ choose, Enter signs in the highlighted person; or scan the code on the meeting notice</source>
        <translation>姓名、拼音首字母、房号或手机尾号；↑/↓ 选择，回车为选中的人签到；或扫描会议通知上的签到码</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>签到</translation>
    </message>
    <message>
        <source>By proxy…</source>
        <translation>代理签到…</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>离场</translation>
    </message>
    <message>
        <source>Undo sign-in</source>
        <translation>撤销签到</translation>
    </message>
    <message>
        <source>Walk-in…</source>
        <translation>列席签到…</translation>
    </message>
    <message>
        <source>Invite…</source>
        <translation>邀请…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>移除…</translation>
    </message>
    <message>
        <source>Invite the project&apos;s households</source>
        <translation>邀请项目范围内住户</translation>
    </message>
    <message>
        <source>Invite representatives and party members</source>
        <translation>邀请居民代表和党员</translation>
    </message>
    <message>
        <source>Print personal notices…</source>
        <translation>打印个人会议通知…</translation>
    </message>
    <message>
        <source>One notice per invitee with the code the door scanner reads</source>
        <translation>每位受邀人一份通知，附门口扫码签到用的签到码</translation>
    </message>
    <message>
        <source>Expected %1 · present %2 · walk-ins %3 · late %4 · left %5 · proxies %6 — %7</source>
        <translation>应到 %1 · 实到 %2 · 列席 %3 · 迟到 %4 · 离场 %5 · 代理 %6 — %7</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>No one matches “%1”</source>
        <translation>没有找到“%1”</translation>
    </message>
    <message>
        <source>%1 people match “%2”: choose with ↑/↓, Enter signs in the highlighted row</source>
        <translation>有 %1 人符合“%2”：请用 ↑/↓ 选择，回车为选中的一行签到</translation>
    </message>
    <message>
        <source>Signed in (scanned): %1</source>
        <translation>扫码签到：%1</translation>
    </message>
    <message>
        <source>Signed in: %1</source>
        <translation>已签到：%1</translation>
    </message>
    <message>
        <source>Signed in by proxy: %1</source>
        <translation>已代理签到：%1</translation>
    </message>
    <message>
        <source>Left: %1</source>
        <translation>已离场：%1</translation>
    </message>
    <message>
        <source>Sign-in taken back: %1</source>
        <translation>已撤销签到：%1</translation>
    </message>
    <message>
        <source>Remove from the list</source>
        <translation>移出名单</translation>
    </message>
    <message>
        <source>Take %1 off this meeting&apos;s list?</source>
        <translation>将%1从本次会议的名单中移除？</translation>
    </message>
    <message>
        <source>Removed from the list: %1</source>
        <translation>已从名单中移除：%1</translation>
    </message>
    <message>
        <source>Invited %1 households</source>
        <translation>已邀请 %1 户</translation>
    </message>
    <message>
        <source>Invited %1 people</source>
        <translation>已邀请 %1 人</translation>
    </message>
</context>
<context>
    <name>SignedCopiesDialog</name>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Document no.</source>
        <translation>文书编号</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>文书</translation>
    </message>
    <message>
        <source>Page</source>
        <translation>第几页</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Page in file</source>
        <translation>文件内页码</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>所属记录</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>打印日期</translation>
    </message>
    <message>
        <source>Missing pages</source>
        <translation>缺页</translation>
    </message>
    <message>
        <source>File signed copies</source>
        <translation>归档签字件</translation>
    </message>
    <message>
        <source>Drop scans or photos of signed pages here (images or PDF), or choose the files. Each page is filed to its record by the code in its footer.</source>
        <translation>把签字后的扫描件或手机照片（图片或 PDF）拖到这里，或选择文件。每一页按页脚的页码二维码归档到所属记录。</translation>
    </message>
    <message>
        <source>Choose files…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Filed</source>
        <translation>已归档</translation>
    </message>
    <message>
        <source>Not filed</source>
        <translation>未能归档</translation>
    </message>
    <message>
        <source>Match by hand…</source>
        <translation>手工匹配…</translation>
    </message>
    <message>
        <source>Filing</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>Missing signed copies</source>
        <translation>缺少签字件</translation>
    </message>
    <message>
        <source>Missing signed copies (%1)</source>
        <translation>缺少签字件（%1）</translation>
    </message>
    <message>
        <source>Choose scans or photos</source>
        <translation>选择扫描件或照片</translation>
    </message>
    <message>
        <source>Images and PDF (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.pdf);;All files (*)</source>
        <translation>图片和 PDF (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.pdf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Reading %1 file(s)…</source>
        <translation>正在读取 %1 个文件…</translation>
    </message>
    <message>
        <source>%1 page(s) filed, %2 not filed.</source>
        <translation>%1 页已归档，%2 页未能归档。</translation>
    </message>
    <message>
        <source>%1 (already filed)</source>
        <translation>%1（此前已归档）</translation>
    </message>
    <message>
        <source>Match by hand</source>
        <translation>手工匹配</translation>
    </message>
    <message>
        <source>Document number printed on the page:</source>
        <translation>页面上印的文书编号：</translation>
    </message>
    <message>
        <source>Which page of the document is it?</source>
        <translation>这是该文书的第几页？</translation>
    </message>
    <message>
        <source>Filed as page %1 of %2.</source>
        <translation>已归档为 %2 的第 %1 页。</translation>
    </message>
</context>
<context>
    <name>StepDialog</name>
    <message>
        <source>Record the builder&apos;s reply</source>
        <translation>登记整改回复</translation>
    </message>
    <message>
        <source>Re-check</source>
        <translation>复查</translation>
    </message>
    <message>
        <source>Close the problem</source>
        <translation>关闭问题</translation>
    </message>
    <message>
        <source>(choose the result)</source>
        <translation>（请选择复查结论）</translation>
    </message>
    <message>
        <source>Passed: rectified</source>
        <translation>通过：已整改到位</translation>
    </message>
    <message>
        <source>Not passed: back to the builder with a new notice</source>
        <translation>不通过：重新发出整改通知</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Reply from</source>
        <translation>回复单位/人</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>整改情况</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Re-checked by</source>
        <translation>复查人</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>复查情况</translation>
    </message>
    <message>
        <source>Closed by</source>
        <translation>关闭人</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>SupervisionPage</name>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>发现日期</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>程度</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Responsible party</source>
        <translation>责任单位</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>通知单</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>整改期限</translation>
    </message>
    <message>
        <source>Days overdue</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Places</source>
        <translation>巡查部位</translation>
    </message>
    <message>
        <source>Weather</source>
        <translation>天气</translation>
    </message>
    <message>
        <source>Participants</source>
        <translation>参加人员</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>发出日期</translation>
    </message>
    <message>
        <source>Still owed</source>
        <translation>待整改</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名/名称</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Appointed</source>
        <translation>聘任日期</translation>
    </message>
    <message>
        <source>Letter no.</source>
        <translation>聘书文号</translation>
    </message>
    <message>
        <source>Covers</source>
        <translation>负责范围</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Record no.</source>
        <translation>验收编号</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>验收范围</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>第三方评估</translation>
    </message>
    <message>
        <source>Open problems</source>
        <translation>未关闭问题</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Inspections and notices</source>
        <translation>巡查与通知单</translation>
    </message>
    <message>
        <source>Team and parties</source>
        <translation>监督队与参建单位</translation>
    </message>
    <message>
        <source>Acceptance</source>
        <translation>验收</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>统计图表</translation>
    </message>
    <message>
        <source>Overdue: %1</source>
        <translation>逾期：%1 项</translation>
    </message>
    <message>
        <source>Supervision</source>
        <translation>监督反馈</translation>
    </message>
    <message>
        <source>Create a project first.</source>
        <translation>请先建立项目。</translation>
    </message>
</context>
<context>
    <name>SupervisorDialog</name>
    <message>
        <source>Appoint a supervisor</source>
        <translation>聘任监督员</translation>
    </message>
    <message>
        <source>Type a name to find the resident</source>
        <translation>输入姓名查找居民</translation>
    </message>
    <message>
        <source>or a new person&apos;s name</source>
        <translation>或新人员姓名</translation>
    </message>
    <message>
        <source>mobile</source>
        <translation>手机</translation>
    </message>
    <message>
        <source>Resident</source>
        <translation>居民</translation>
    </message>
    <message>
        <source>Appointed on</source>
        <translation>聘任日期</translation>
    </message>
    <message>
        <source>Letter no.</source>
        <translation>聘书文号</translation>
    </message>
    <message>
        <source>Buildings covered</source>
        <translation>负责楼栋</translation>
    </message>
    <message>
        <source>Works covered</source>
        <translation>负责工程</translation>
    </message>
</context>
<context>
    <name>TaskDialog</name>
    <message>
        <source>Follow-up task</source>
        <translation>跟进任务</translation>
    </message>
    <message>
        <source>(no resolution)</source>
        <translation>（不对应决议）</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>责任人/单位</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>决议</translation>
    </message>
</context>
<context>
    <name>TasksTab</name>
    <message>
        <source>Add a resolution…</source>
        <translation>添加决议…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Add a task…</source>
        <translation>添加任务…</translation>
    </message>
    <message>
        <source>Edit the task…</source>
        <translation>编辑任务…</translation>
    </message>
    <message>
        <source>Delete the task</source>
        <translation>删除任务</translation>
    </message>
    <message>
        <source>Mark: %1</source>
        <translation>标记为：%1</translation>
    </message>
    <message>
        <source>Reviewed at this meeting…</source>
        <translation>本次会议已听取落实情况…</translation>
    </message>
    <message>
        <source>Resolutions</source>
        <translation>会议决议</translation>
    </message>
    <message>
        <source>Follow-up tasks (overdue in red)</source>
        <translation>跟进任务（逾期以红色显示）</translation>
    </message>
    <message>
        <source>Tasks of earlier meetings of this project, to review</source>
        <translation>本项目前次会议的任务（本次会议听取落实情况）</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>决议</translation>
    </message>
    <message>
        <source>Resolution text</source>
        <translation>决议内容</translation>
    </message>
    <message>
        <source>Delete this resolution?</source>
        <translation>删除这条决议？</translation>
    </message>
    <message>
        <source>Chief street designer&apos;s opinions on this resolution: %1</source>
        <translation>首席街长对本决议的意见：%1</translation>
    </message>
    <message>
        <source>Delete the task “%1”?</source>
        <translation>删除任务“%1”？</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>任务落实情况</translation>
    </message>
    <message>
        <source>What was reported on this task?</source>
        <translation>该任务的落实情况：</translation>
    </message>
</context>
<context>
    <name>TeamTab</name>
    <message>
        <source>Appoint supervisor…</source>
        <translation>聘任监督员…</translation>
    </message>
    <message>
        <source>Retire selected</source>
        <translation>所选人员退出</translation>
    </message>
    <message>
        <source>Add party…</source>
        <translation>添加参建单位…</translation>
    </message>
    <message>
        <source>Supervisor team</source>
        <translation>居民监督队</translation>
    </message>
    <message>
        <source>Parties (builders, design, supervision firms)</source>
        <translation>参建单位（施工、设计、监理）</translation>
    </message>
    <message>
        <source>left %1</source>
        <translation>%1 退出</translation>
    </message>
    <message>
        <source>active</source>
        <translation>在队</translation>
    </message>
    <message>
        <source>Supervisor appointed</source>
        <translation>已聘任监督员</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
</context>
<context>
    <name>VisitDialog</name>
    <message>
        <source>Record a visit</source>
        <translation>记录走访</translation>
    </message>
    <message>
        <source>Who came along (staff, residents&apos; representatives, builder …)</source>
        <translation>同行人员（工作人员、居民代表、施工单位…）</translation>
    </message>
    <message>
        <source>Visited on</source>
        <translation>走访日期</translation>
    </message>
    <message>
        <source>Participants</source>
        <translation>参加人员</translation>
    </message>
    <message>
        <source>Observed on the visit</source>
        <translation>现场情况</translation>
    </message>
    <message>
        <source>Add another opinion</source>
        <translation>再加一条意见</translation>
    </message>
</context>
<context>
    <name>VoidResponseDialog</name>
    <message>
        <source>Void the response</source>
        <translation>作废答复</translation>
    </message>
    <message>
        <source>e.g. recorded on the wrong opinion</source>
        <translation>例如：记到了别的意见上</translation>
    </message>
    <message>
        <source>Opinion</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>答复内容</translation>
    </message>
    <message>
        <source>The opinion goes back to</source>
        <translation>意见状态恢复为</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>作废原因</translation>
    </message>
</context>
<context>
    <name>VotesTab</name>
    <message>
        <source>New motion…</source>
        <translation>新建表决事项…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Open the vote</source>
        <translation>开始表决</translation>
    </message>
    <message>
        <source>Declare the result</source>
        <translation>宣布结果</translation>
    </message>
    <message>
        <source>Recount…</source>
        <translation>重新计票…</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>赞成</translation>
    </message>
    <message>
        <source>No</source>
        <translation>反对</translation>
    </message>
    <message>
        <source>Abstain</source>
        <translation>弃权</translation>
    </message>
    <message>
        <source>area m²</source>
        <translation>面积 ㎡</translation>
    </message>
    <message>
        <source>Save the counts</source>
        <translation>保存票数</translation>
    </message>
    <message>
        <source>Select a voter and press Y / N / A (or 1 / 2 / 3); Delete takes the ballot back</source>
        <translation>选中投票人后按 Y / N / A（或 1 / 2 / 3）记为赞成 / 反对 / 弃权；Delete 撤回</translation>
    </message>
    <message>
        <source>Scan a ballot&apos;s code here, then press Y / N / A (a code beside a choice records it at once)</source>
        <translation>在此扫描表决票条码，再按 Y / N / A 记录意见（扫描意见旁的条码则直接记录）</translation>
    </message>
    <message>
        <source>Large print</source>
        <translation>大字版</translation>
    </message>
    <message>
        <source>Print ballots…</source>
        <translation>打印表决票…</translation>
    </message>
    <message>
        <source>area m² (scope: %1 m²)</source>
        <translation>面积 ㎡（范围合计 %1 ㎡）</translation>
    </message>
    <message>
        <source>Present at the vote: %1</source>
        <translation>表决时在场 %1 人</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>在场</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Not passed</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source> (not yet declared)</source>
        <translation>（尚未宣布）</translation>
    </message>
    <message>
        <source>Who votes: %1</source>
        <translation>表决范围：%1</translation>
    </message>
    <message>
        <source>expected %1 owners, %2 m² of exclusive area</source>
        <translation>应到业主 %1 人，专有部分面积 %2 ㎡</translation>
    </message>
    <message>
        <source>consultative: those signed in vote</source>
        <translation>协商表决：由签到参会人员表决</translation>
    </message>
    <message>
        <source>%1: press Y / N / A to record the choice</source>
        <translation>%1：请按 Y / N / A 记录表决意见</translation>
    </message>
    <message>
        <source>%1: the ballot is recorded already as %2</source>
        <translation>%1：该票已记录为“%2”</translation>
    </message>
    <message>
        <source>Scanned again: %1&apos;s ballot is recorded already as %2 (counted once)</source>
        <translation>重复扫描：%1的票已记录为“%2”（只计一次）</translation>
    </message>
    <message>
        <source>Ballot recorded: %1 — %2</source>
        <translation>已记票：%1 — %2</translation>
    </message>
    <message>
        <source>The result was declared. Why is it corrected?</source>
        <translation>表决结果已宣布。更正的原因是什么？（记入审计日志）</translation>
    </message>
    <message>
        <source>Correct a ballot</source>
        <translation>更正选票</translation>
    </message>
    <message>
        <source>Ballot</source>
        <translation>投票</translation>
    </message>
    <message>
        <source>Counts</source>
        <translation>票数</translation>
    </message>
    <message>
        <source>Correct the counts</source>
        <translation>更正票数</translation>
    </message>
    <message>
        <source>Declare the result of “%1”? It goes into the minutes and on the public notice.</source>
        <translation>宣布“%1”的表决结果？结果将写入会议记录并公示。</translation>
    </message>
    <message>
        <source>Recount</source>
        <translation>重新计票</translation>
    </message>
    <message>
        <source>Why is the vote counted again?</source>
        <translation>为什么重新计票？（记入审计日志）</translation>
    </message>
</context>
<context>
    <name>_RunningDialog</name>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
</TS>
