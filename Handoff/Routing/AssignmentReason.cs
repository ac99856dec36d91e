namespace BotEngine.Handoff;

public enum AssignmentReason
{
    /// <summary>One of the client's previous (preferred) operators.</summary>
    PreferredOperator,
    /// <summary>The operator a transfer named.</summary>
    TransferTarget,
    /// <summary>Least loaded, then longest idle.</summary>
    LeastLoaded,
    /// <summary>Only an operator the dialog would rather avoid was eligible.</summary>
    AvoidedFallback,
    /// <summary>The operator took it from the queue by hand.</summary>
    TakenByOperator,
    /// <summary>A supervisor moved it from the queue to the operator by hand.</summary>
    MovedBySupervisor,
}
