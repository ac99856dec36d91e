using BotEngine.Engine.Knowledge;
using BotEngine.Storage;
using BotEngine.Storage.Agents;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Agents;

/// <summary>
/// Makes stored agent calls outside the turn lanes, with its own limits: at most
/// <see cref="AgentOptions.MaxConcurrentCalls"/> in flight on this node, and
/// <see cref="AgentOptions.MaxConcurrentCallsPerAgent"/> to any one agent, so a slow or dead agent holds neither a
/// lane nor another agent's calls. Each call is claimed with a lease of its attempt's timeout: if this node dies,
/// another claims it when the lease runs out. Also sends the "please wait" notices.
/// </summary>
public sealed partial class AgentCallDispatcher(
    AgentCallStore calls,
    AgentCallRunner runner,
    AgentWaitNotices notices,
    AgentCallSignal signal,
    KnowledgeRuntime knowledge,
    IOptions<AgentOptions> options,
    TimeProvider time,
    ILogger<AgentCallDispatcher> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task> _inFlight = [];
    private readonly Dictionary<string, int> _perAgent = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await notices.SendDueAsync(stoppingToken);
                    await StartDueAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogRoundFailed(logger, ex);
                }
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Calls cut short by the stop stay claimed until their lease runs out, then any node takes them again.
            Task[] running;
            lock (_gate)
                running = [.. _inFlight.Values];
            await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    private async Task StartDueAsync(CancellationToken stoppingToken)
    {
        var limits = options.Value;
        int free;
        string[] full;
        lock (_gate)
        {
            free = limits.MaxConcurrentCalls - _inFlight.Count;
            full = [.. _perAgent.Where(p => p.Value >= limits.MaxConcurrentCallsPerAgent).Select(p => p.Key)];
        }
        if (free <= 0)
            return;
        foreach (var (id, agentId) in await calls.FindDueAsync(full, free, stoppingToken))
        {
            lock (_gate)
            {
                if (_inFlight.Count >= limits.MaxConcurrentCalls)
                    return;
                if (_inFlight.ContainsKey(id) || _perAgent.GetValueOrDefault(agentId) >= limits.MaxConcurrentCallsPerAgent)
                    continue;
            }
            var agent = knowledge.Document.Agents.FirstOrDefault(a => a.Id == agentId);
            var now = time.NowMicros();
            var lease = AgentCallRunner.AttemptTimeout(agent, long.MaxValue, now) + limits.LeaseMargin;
            if (await calls.ClaimAsync(id, now + (long)lease.TotalMicroseconds, stoppingToken) is not { } call)
                continue; // another node took it
            lock (_gate)
            {
                _perAgent[agentId] = _perAgent.GetValueOrDefault(agentId) + 1;
                _inFlight[id] = RunAsync(call, stoppingToken);
            }
        }
    }

    private async Task RunAsync(AgentCallRow call, CancellationToken stoppingToken)
    {
        await Task.Yield(); // the claim loop goes on while this call waits for its agent
        try
        {
            await runner.RunAsync(call, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The call stays open; its lease runs out and it is tried again.
            LogCallFailed(logger, ex, call.Id, call.DialogId);
        }
        finally
        {
            lock (_gate)
            {
                _inFlight.Remove(call.Id);
                var left = _perAgent.GetValueOrDefault(call.AgentId) - 1;
                if (left > 0)
                    _perAgent[call.AgentId] = left;
                else
                    _perAgent.Remove(call.AgentId);
            }
            signal.Request(); // a slot is free
        }
    }

    [LoggerMessage(EventId = 540, Level = LogLevel.Error, Message = "A round of the agent call dispatcher failed")]
    private static partial void LogRoundFailed(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 541, Level = LogLevel.Error, Message = "Agent call {CallId} for dialog {DialogId} failed; it is retried when its lease runs out")]
    private static partial void LogCallFailed(ILogger logger, Exception ex, string callId, string dialogId);
}
