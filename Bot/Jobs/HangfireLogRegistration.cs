namespace BotEngine.Bot.Jobs;

/// <summary>This engine's place in <see cref="LiveEngineLogProvider"/>, given up when the engine's services are disposed.</summary>
internal sealed class HangfireLogRegistration(IDisposable registration) : IDisposable
{
    public void Dispose() => registration.Dispose();
}
