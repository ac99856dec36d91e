namespace BotEngine.Engine.Knowledge;

/// <summary>
/// The phrasing quality hints of one KB revision. <see cref="Confusions"/> is <c>ready</c> once the cross-validation
/// for this revision finished, <c>computing</c> while it runs (the other hints are always there), <c>failed</c> if it threw.
/// </summary>
public sealed record QualityReport(long Revision, string Confusions, IReadOnlyList<QualityHint> Hints);
