using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace BotEngine.Bot.Tests.Email;

/// <summary>
/// npm <c>maildev</c> 2.2.1 (an SMTP server written by others that keeps what it receives) in a node process on
/// loopback ports: the server the engine sends its mail to, read back through maildev's REST API. Needs
/// BOTENGINE_MAILDEV (set by test.sh) naming the installed package.
/// </summary>
public sealed class MaildevPeer : IAsyncDisposable
{
    private readonly Process _node;
    private readonly HttpClient _http;

    private MaildevPeer(Process node, int smtpPort, int webPort)
    {
        _node = node;
        SmtpPort = smtpPort;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int SmtpPort { get; }

    /// <summary>Starts maildev, on <paramref name="smtpPort"/> when given (a port the engine was already told about).</summary>
    public static async Task<MaildevPeer> StartAsync(int? smtpPort = null)
    {
        var package = Environment.GetEnvironmentVariable("BOTENGINE_MAILDEV");
        Assert.False(string.IsNullOrEmpty(package) || !File.Exists(Path.Combine(package, "bin", "maildev")),
            "BOTENGINE_MAILDEV must name the installed maildev package (./test.sh installs it).");
        var smtp = smtpPort ?? CrashRecoveryTests.FreePort();
        var web = CrashRecoveryTests.FreePort();
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { Path.Combine(package!, "bin", "maildev"), "--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "-s", smtp.ToString(), "-w", web.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var node = Process.Start(start)!;
        node.OutputDataReceived += (_, _) => { };
        node.ErrorDataReceived += (_, _) => { };
        node.BeginOutputReadLine();
        node.BeginErrorReadLine();
        var peer = new MaildevPeer(node, smtp, web);
        await Eventually.WaitAsync(async () =>
        {
            Assert.False(node.HasExited, "maildev exited at start");
            try
            {
                return (await peer._http.GetAsync("/healthz")).IsSuccessStatusCode ? true : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(60));
        return peer;
    }

    public async Task<IReadOnlyList<JsonObject>> MailsAsync() =>
        [.. (await _http.GetFromJsonAsync<JsonArray>("/email"))!.OfType<JsonObject>()];

    public Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(async () => (await MailsAsync()).FirstOrDefault(match), timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>The raw message as the engine sent it.</summary>
    public Task<string> SourceAsync(JsonObject mail) => _http.GetStringAsync($"/email/{mail["id"]!.GetValue<string>()}/source");

    public static string Text(JsonObject mail) => mail["text"]?.GetValue<string>() ?? "";

    public static string Html(JsonObject mail) => mail["html"]?.GetValue<string>() ?? "";

    public static string To(JsonObject mail) => mail["to"]![0]!["address"]!.GetValue<string>();

    public static string Header(JsonObject mail, string name) => mail["headers"]?[name]?.GetValue<string>() ?? "";

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_node.HasExited)
            _node.Kill(entireProcessTree: true);
        await _node.WaitForExitAsync();
        _node.Dispose();
    }
}
