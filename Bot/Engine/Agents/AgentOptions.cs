namespace BotEngine.Engine.Agents;

public sealed class AgentOptions
{
    /// <summary>The engine's address as agents reach it, for callback URLs; the first listening address when unset.</summary>
    public string? PublicBaseUrl { get; set; }
    /// <summary>Delay before the first retry of a failed event; doubles for each next one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>How long one event may take over all its attempts; then the dialog goes to operators.</summary>
    public TimeSpan MaxRetryTime { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>Agent calls in flight on one node, over all agents.</summary>
    public int MaxConcurrentCalls { get; set; } = 64;
    /// <summary>Agent calls in flight on one node to one agent, so one slow agent leaves room for the others.</summary>
    public int MaxConcurrentCallsPerAgent { get; set; } = 16;
    /// <summary>The client is told to wait (once per event) when the agent has not answered within this time.</summary>
    public TimeSpan WaitNoticeAfter { get; set; } = TimeSpan.FromSeconds(3);
    /// <summary>How often the dispatcher looks for calls to retry, calls a dead node left, and waits to announce.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>How long a lifecycle event nobody waits for (<c>dialogClosed</c>) is retried before it is given up.</summary>
    public TimeSpan NoticeRetryTime { get; set; } = TimeSpan.FromHours(1);
    /// <summary>How often each node looks for asynchronous answers past their agent's <c>answerTimeoutSeconds</c>.</summary>
    public TimeSpan AnswerCheckInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>A claimed call is held for its attempt's timeout plus this; then another node may take it (its node died).</summary>
    public TimeSpan LeaseMargin { get; set; } = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan MaxRetryTimeLimit = TimeSpan.FromMinutes(30);

    /// <summary>What is wrong with the options, or null.</summary>
    public string? Problem() => this switch
    {
        { MaxRetryTime: var t } when t < TimeSpan.FromSeconds(1) || t > MaxRetryTimeLimit => "Agents:MaxRetryTime must be between 00:00:01 and 00:30:00.",
        { RetryDelay: var d } when d < TimeSpan.Zero || d > MaxRetryTime => "Agents:RetryDelay must be between 0 and Agents:MaxRetryTime.",
        { MaxConcurrentCalls: < 1 or > 10_000 } => "Agents:MaxConcurrentCalls must be between 1 and 10000.",
        { MaxConcurrentCallsPerAgent: var n } when n < 1 || n > MaxConcurrentCalls => "Agents:MaxConcurrentCallsPerAgent must be between 1 and Agents:MaxConcurrentCalls.",
        { WaitNoticeAfter: var w } when w < TimeSpan.Zero => "Agents:WaitNoticeAfter must not be negative.",
        { PollInterval: var p } when p <= TimeSpan.Zero || p > TimeSpan.FromMinutes(1) => "Agents:PollInterval must be positive and at most 00:01:00.",
        { LeaseMargin: var m } when m <= TimeSpan.Zero || m > TimeSpan.FromMinutes(5) => "Agents:LeaseMargin must be positive and at most 00:05:00.",
        { NoticeRetryTime: var n } when n < TimeSpan.FromSeconds(1) || n > TimeSpan.FromDays(1) => "Agents:NoticeRetryTime must be between 00:00:01 and 1.00:00:00.",
        { AnswerCheckInterval: var a } when a <= TimeSpan.Zero || a > TimeSpan.FromMinutes(1) => "Agents:AnswerCheckInterval must be positive and at most 00:01:00.",
        _ => null,
    };
}
