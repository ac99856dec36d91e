namespace BotEngine.Engine.Pipeline;

/// <summary>
/// One run of a message's turn. <paramref name="Number"/> counts from 1; <paramref name="Counted"/> is true when the
/// run was claimed (and counted) before it started, as every retry and every recovered message is.
/// </summary>
public sealed record TurnAttempt(int Number, bool Counted)
{
    /// <summary>The claimed run is past the limit: the previous runs never reported back (the engine stopped during them).</summary>
    public bool Exhausted { get; init; }

    /// <summary>The count stored on the message while this run goes on.</summary>
    public int Stored => Counted ? Number : Number - 1;
}
