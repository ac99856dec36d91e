using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Conversations;
using BotEngine.Engine.Agents;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Desk;
using BotEngine.Storage;
using BotEngine.Nlu;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BotEngine.Bot.Tests.Flow;

/// <summary>
/// The real engine (BotApp.Build: gateway, turn scheduler, knowledge runtime with the demo KB, routing, timers) in this
/// process, behind ASP.NET Core's TestServer instead of a socket, with a fake clock that only moves when a test moves it.
/// Storage is a fresh SQLite file on a memory file system (see <see cref="NewSqliteDir"/>) or a fresh PostgreSQL database.
/// </summary>
public sealed class FlowEngine : IAsyncDisposable
{
    /// <summary>Where the fake clock starts: a Monday morning, so nothing depends on when the suite runs.</summary>
    public static readonly DateTimeOffset StartTime = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    /// <summary>How long any wait of the harness lasts before it fails (real time).</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(20);

    private readonly WebApplication _app;
    private readonly Func<Task> _cleanup;

    private FlowEngine(WebApplication app, FakeTimeProvider clock, Func<Task> cleanup)
    {
        _app = app;
        Clock = clock;
        _cleanup = cleanup;
        Server = app.GetTestServer();
        Http = Server.CreateClient();
    }

    public FakeTimeProvider Clock { get; }
    public TestServer Server { get; }

    /// <summary>An anonymous client of the engine's HTTP API, in process.</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;
    public Database Database => Services.GetRequiredService<Database>();
    public ChangeFeed Feed => Services.GetRequiredService<ChangeFeed>();

    public static Task<FlowEngine> StartAsync(StorageKind storage = StorageKind.Sqlite, params string[] extraArgs) => StartAsync(storage, null, extraArgs);

    /// <summary>The engine with <paramref name="configure"/> applied to its builder last (a turn step, a fault).</summary>
    public static async Task<FlowEngine> StartAsync(StorageKind storage, Action<WebApplicationBuilder>? configure, params string[] extraArgs)
    {
        var clock = new FakeTimeProvider(StartTime);
        var args = new List<string>
        {
            "--Bootstrap:AdminPassword=" + EngineHost.AdminPassword, "--directline-secret", EngineHost.DirectLineSecret,
            "--Logging:LogLevel:Default=Warning", "--Jobs:Schedule=false",
            // The plan-ahead budget is real time: under a loaded suite a 500 ms plan is not rare, so a test that expects
            // the turn to commit with its message gives it the harness's wait limit (a test of the budget sets its own).
            "--Turns:PlanAheadBudget=" + WaitLimit.ToString("c"),
        };
        Func<Task> cleanup;
        if (storage == StorageKind.Postgres)
        {
            var (connectionString, drop) = await TestDatabases.CreatePostgresAsync();
            args.AddRange(["--postgres", connectionString]);
            cleanup = drop;
        }
        else
        {
            var dir = NewSqliteDir();
            args.AddRange(["--data-dir", dir]);
            cleanup = () => { TestDatabases.TryDelete(dir); return Task.CompletedTask; };
        }
        args.AddRange(extraArgs);
        var app = BotApp.Build(args.ToArray(), builder =>
        {
            builder.WebHost.UseTestServer();
            // Registered after BotApp's TimeProvider.System, so every service that takes a TimeProvider gets this one.
            builder.Services.AddSingleton<TimeProvider>(clock);
            builder.Services.AddSingleton<IIntentTrainer>(MemoizingTrainer.Shared);
            configure?.Invoke(builder);
        });
        try
        {
            await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch
        {
            await app.DisposeAsync();
            await cleanup();
            throw;
        }
        return new FlowEngine(app, clock, cleanup);
    }

    /// <summary>
    /// A folder for the SQLite file on /dev/shm when there is one: the engine runs exactly as in production (one writer
    /// loop, readers on their own connections, WAL), and commits cost no disk flush. An in-memory database would need
    /// shared cache, where readers and the writer lock whole tables against each other and WAL is not available, so the
    /// one-writer/many-readers design would be tested under different locking than it runs with.
    /// </summary>
    public static string NewSqliteDir()
    {
        var root = Directory.Exists("/dev/shm") ? Path.Combine("/dev/shm", "botengine-flow") : Path.Combine(Path.GetTempPath(), "botengine-flow");
        var dir = Path.Combine(root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A new client on its own Direct Line conversation, with a flow of steps to run against the engine.</summary>
    public TestFlow Flow(string userId = "user-1") => new(new FlowClient(this, userId));

    /// <summary>A new client on its own Direct Line conversation, for tests that drive it step by step.</summary>
    public FlowClient Client(string userId = "user-1") => new(this, userId);

    public async Task<string> OperatorTokenAsync(string login = "admin", string password = EngineHost.AdminPassword)
    {
        var response = await Http.PostAsJsonAsync("/api/v1/auth/token", new { login, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    /// <summary>An operator's client of the API, in process.</summary>
    public async Task<HttpClient> OperatorAsync(string login = "admin", string? password = null)
    {
        var token = await OperatorTokenAsync(login, password ?? (login == "admin" ? EngineHost.AdminPassword : "password-" + login));
        var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// Moves the clock; the background loops waiting on it (timers, queue notices, recovery, outbox) wake for it. Routing
    /// and agent calls wait on their own signals, so they are woken too: a pass may have fallen due (overflow, lunch).
    /// </summary>
    public void Advance(TimeSpan by)
    {
        Clock.Advance(by);
        Services.GetRequiredService<AssignmentSignal>().Request();
        Services.GetRequiredService<AgentCallSignal>().Request();
    }

    public Task<StoredDialog> DialogAsync(string dialogId) =>
        Database.ReadAsync(c => c.QuerySingleAsync<StoredDialog>("SELECT * FROM dialogs WHERE id = @dialogId", new { dialogId }), CancellationToken.None);

    public async Task<IReadOnlyList<string>> DialogEventsAsync(string dialogId) =>
        (await Database.ReadAsync(c => c.QueryAsync<string>("SELECT kind FROM dialog_events WHERE dialog_id = @dialogId ORDER BY at", new { dialogId }),
            CancellationToken.None)).AsList();

    /// <summary>
    /// Waits until <paramref name="probe"/> answers a value. The probe runs again whenever the engine publishes a change
    /// (a stored message, a dialog's new state, a delivery), and every few milliseconds for state that is not announced
    /// (a turn marked processed with nothing to say). With <paramref name="nudge"/> set, the clock moves on by it when
    /// nothing happened for a while: a loop that was busy when the clock moved sleeps until its next interval.
    /// </summary>
    public async Task<T> WaitAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? nudge = null, TimeSpan? timeout = null) where T : class
    {
        using var subscription = Feed.Subscribe();
        var deadline = DateTime.UtcNow + (timeout ?? WaitLimit);
        var quietSince = DateTime.UtcNow;
        var nudges = 0;
        while (true)
        {
            if (await probe() is { } value)
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Waited {(timeout ?? WaitLimit).TotalSeconds:0} s for {what}; the fake clock is at {Clock.GetUtcNow():O}.");
            var changed = subscription.Reader.WaitToReadAsync().AsTask();
            if (await Task.WhenAny(changed, Task.Delay(RecheckEvery)) == changed)
            {
                while (subscription.Reader.TryRead(out _))
                {
                }
                quietSince = DateTime.UtcNow;
            }
            else if (nudge is { } step && DateTime.UtcNow - quietSince > QuietBeforeNudge && nudges < MaxNudges)
            {
                Advance(step);
                nudges++;
                quietSince = DateTime.UtcNow;
            }
        }
    }

    public Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan? nudge = null, TimeSpan? timeout = null) =>
        WaitAsync(async () => await condition() ? "" : null, what, nudge, timeout);

    private static readonly TimeSpan RecheckEvery = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan QuietBeforeNudge = TimeSpan.FromMilliseconds(300);
    private const int MaxNudges = 20;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
        await _cleanup();
    }
}
