namespace BotEngine.Handoff;

/// <summary>Why a dialog went back to the queue.</summary>
public enum RequeueReason
{
    /// <summary>The operator did not answer in time; other operators are preferred.</summary>
    OperatorTimeout,
    /// <summary>The operator went to lunch, training or offline, or was forced offline.</summary>
    OperatorStatus,
    /// <summary>Returned by a supervisor.</summary>
    Supervisor,
}
