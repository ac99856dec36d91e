namespace BotEngine.Engine.Pipeline;

/// <summary>
/// A channel refused a delivery for a reason that retrying cannot change (Viber's client is not subscribed, Facebook's
/// messaging window has closed): the delivery is parked at once, visible and replayable, instead of tried again.
/// </summary>
public sealed class ChannelRefusedException(string message) : Exception(message);
