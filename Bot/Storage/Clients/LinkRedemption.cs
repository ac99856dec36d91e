namespace BotEngine.Storage.Clients;

/// <summary>What redeeming a deep-link token did.</summary>
public enum LinkRedemption
{
    /// <summary>The account now belongs to the token's client.</summary>
    Linked,
    /// <summary>The same account redeemed this token before (a repeated delivery): nothing changed.</summary>
    AlreadyLinked,
    Unknown,
    Expired,
    Used,
    /// <summary>The token was made for another channel.</summary>
    WrongChannel,
}
