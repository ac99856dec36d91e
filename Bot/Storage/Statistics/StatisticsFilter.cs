namespace BotEngine.Storage.Statistics;

/// <summary>
/// The period [<see cref="From"/>, <see cref="To"/>) in storage microseconds, and optional narrowing by the dialog's
/// call centre, line and channel. Dialog figures count dialogs opened in the period; operator figures count what the
/// operator did in it.
/// </summary>
public sealed record StatisticsFilter(long From, long To, string? CallCentre = null, string? Line = null, string? Channel = null);
