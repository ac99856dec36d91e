using System.Diagnostics;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace BotEngine.Bot.Tests.Email;

/// <summary>
/// Debian's <c>dovecot-imapd</c> (an IMAP server written by others) with a throw-away configuration in a temp folder:
/// one passwd-file user with a maildir, plain IMAP on a free loopback port, started as <c>dovecot -F -c conf</c>. The
/// engine polls it; the test delivers the client's mail into it by IMAP APPEND.
/// </summary>
public sealed class DovecotPeer : IAsyncDisposable
{
    public const string User = "support";
    public const string Password = "imap-secret-1";
    private readonly Process _dovecot;
    private readonly string _dir;

    private DovecotPeer(Process dovecot, string dir, int port)
    {
        _dovecot = dovecot;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public static async Task<DovecotPeer> StartAsync()
    {
        var binary = Environment.GetEnvironmentVariable("BOTENGINE_DOVECOT") is { Length: > 0 } set ? set : "/usr/sbin/dovecot";
        Assert.True(File.Exists(binary), $"{binary} is missing: install dovecot-imapd (./test.sh does).");
        // Short: dovecot's sockets live under it, and a socket path has a limit of about 100 bytes.
        var dir = Path.Combine(Path.GetTempPath(), "dv-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(dir, "run"));
        var mail = Directory.CreateDirectory(Path.Combine(dir, "mail"));
        // The mail processes run as the mail user below, which must be able to make the maildir.
        if (!OperatingSystem.IsWindows())
            mail.UnixFileMode = (UnixFileMode)0b111_111_111;
        await File.WriteAllTextAsync(Path.Combine(dir, "passwd"), $"{User}:{{PLAIN}}{Password}::::::\n");
        var port = CrashRecoveryTests.FreePort();
        // As root, dovecot runs its login and mail processes as its own unprivileged users; otherwise as the caller.
        var root = Environment.IsPrivilegedProcess;
        var (login, internalUser, mailUser) = root ? ("dovenull", "dovecot", "dovecot") : (Environment.UserName, Environment.UserName, Environment.UserName);
        var config = $$"""
            protocols = imap
            listen = 127.0.0.1
            base_dir = {{dir}}/run
            state_dir = {{dir}}/run
            instance_name = dv-{{port}}
            log_path = {{dir}}/dovecot.log
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            first_valid_uid = 1
            first_valid_gid = 1
            default_internal_user = {{internalUser}}
            default_internal_group = {{internalUser}}
            default_login_user = {{login}}
            mail_location = maildir:{{dir}}/mail/%u
            passdb {
              driver = passwd-file
              args = scheme=PLAIN {{dir}}/passwd
            }
            userdb {
              driver = static
              args = uid={{mailUser}} gid={{mailUser}} home={{dir}}/mail/%u
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{port}}
              }
              inet_listener imaps {
                port = 0
              }
              chroot =
            }
            service anvil {
              chroot =
            }
            """;
        var conf = Path.Combine(dir, "dovecot.conf");
        await File.WriteAllTextAsync(conf, config);
        var start = new ProcessStartInfo(binary)
        {
            ArgumentList = { "-F", "-c", conf },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var dovecot = Process.Start(start)!;
        dovecot.OutputDataReceived += (_, _) => { };
        dovecot.ErrorDataReceived += (_, _) => { };
        dovecot.BeginOutputReadLine();
        dovecot.BeginErrorReadLine();
        var peer = new DovecotPeer(dovecot, dir, port);
        await Eventually.WaitAsync(async () =>
        {
            Assert.False(dovecot.HasExited, "dovecot exited at start: " + peer.Log());
            try
            {
                using var imap = await peer.ConnectAsync();
                return true;
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ImapProtocolException or AuthenticationException or ImapCommandException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(60));
        return peer;
    }

    /// <summary>Puts a client's mail into the inbox, as a delivery agent would; its UID.</summary>
    public async Task<uint> DeliverAsync(MimeMessage mail)
    {
        using var imap = await ConnectAsync();
        var uid = await imap.Inbox.AppendAsync(new AppendRequest(mail));
        await imap.DisconnectAsync(true);
        return uid?.Id ?? 0;
    }

    public string Log() => File.Exists(Path.Combine(_dir, "dovecot.log")) ? File.ReadAllText(Path.Combine(_dir, "dovecot.log")) : "";

    private async Task<ImapClient> ConnectAsync()
    {
        var imap = new ImapClient { Timeout = 30_000 };
        try
        {
            await imap.ConnectAsync("127.0.0.1", Port, SecureSocketOptions.None);
            await imap.AuthenticateAsync(User, Password);
            return imap;
        }
        catch
        {
            imap.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_dovecot.HasExited)
            _dovecot.Kill(entireProcessTree: true);
        await _dovecot.WaitForExitAsync();
        _dovecot.Dispose();
        TestDatabases.TryDelete(_dir);
    }
}
