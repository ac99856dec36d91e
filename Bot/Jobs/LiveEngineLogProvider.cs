using Hangfire.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace BotEngine.Bot.Jobs;

/// <summary>
/// Hangfire's log provider, which Hangfire keeps once per process: it writes to the logger factory of an engine still
/// running. Hangfire's own provider holds the factory of whichever engine started last, so when several engines share
/// a process (tests, a host restarted in place) and that one stops, every other engine's job client failed at its
/// creation with a disposed <c>LoggerFactory</c>. Loggers are looked up at each call, not kept, for the same reason.
/// </summary>
internal sealed class LiveEngineLogProvider : ILogProvider
{
    private static readonly Lock Gate = new();
    private static readonly List<ILoggerFactory> Live = [];

    public static LiveEngineLogProvider Instance { get; } = new();

    /// <summary>Adds an engine's logger factory until the returned registration is disposed (with that engine's services).</summary>
    public static Registration Register(ILoggerFactory factory)
    {
        lock (Gate)
            Live.Add(factory);
        return new Registration(factory);
    }

    public ILog GetLogger(string name) => new LiveLog(name);

    /// <summary>The most recently started engine's factory that still works; null when none does.</summary>
    private static ILogger? LoggerFor(string name)
    {
        lock (Gate)
        {
            for (var i = Live.Count - 1; i >= 0; i--)
            {
                try
                {
                    return Live[i].CreateLogger(name);
                }
                catch (ObjectDisposedException)
                {
                    Live.RemoveAt(i);
                }
            }
            return null;
        }
    }

    private static MsLogLevel Map(HangfireLevel level) => level switch
    {
        HangfireLevel.Trace => MsLogLevel.Trace,
        HangfireLevel.Debug => MsLogLevel.Debug,
        HangfireLevel.Info => MsLogLevel.Information,
        HangfireLevel.Warn => MsLogLevel.Warning,
        HangfireLevel.Error => MsLogLevel.Error,
        _ => MsLogLevel.Critical,
    };

    private sealed class LiveLog(string name) : ILog
    {
        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var logger = LoggerFor(name);
            var level = Map(logLevel);
            if (logger is null || !logger.IsEnabled(level))
                return false;
            // Hangfire asks "is this level on?" with no message.
            if (messageFunc is not null)
                logger.Log(level, exception, "{HangfireMessage}", messageFunc());
            return true;
        }
    }

    /// <summary>An engine's place among the live factories.</summary>
    public sealed class Registration(ILoggerFactory factory) : IDisposable
    {
        public void Dispose()
        {
            lock (Gate)
                Live.Remove(factory);
        }
    }
}
