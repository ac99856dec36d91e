namespace BotEngine.Engine.Desk;

/// <summary>The hashing queue is full: too many sign-ins are being checked at once.</summary>
public sealed class PasswordHashingBusyException()
    : Exception("Too many sign-ins are being checked at the moment; try again in a second.");
