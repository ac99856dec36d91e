namespace BotEngine.Handoff;

/// <summary>
/// Recent throughput the host reads from storage: assignments made in the last <paramref name="Window"/>
/// and the average handling time of recently closed dialogs.
/// </summary>
public sealed record WaitStats(int AssignmentsInWindow, TimeSpan Window, TimeSpan AverageHandlingTime);
