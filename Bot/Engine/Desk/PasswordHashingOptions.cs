namespace BotEngine.Engine.Desk;

public sealed class PasswordHashingOptions
{
    /// <summary>Dedicated threads that hash passwords; 0 means half the processors (at least one).</summary>
    public int Workers { get; set; }

    /// <summary>Hashing jobs that may wait for a worker; beyond that a sign-in is answered "busy" at once.</summary>
    public int QueueLength { get; set; } = 32;

    public int EffectiveWorkers => Workers > 0 ? Workers : Math.Max(1, Environment.ProcessorCount / 2);
}
