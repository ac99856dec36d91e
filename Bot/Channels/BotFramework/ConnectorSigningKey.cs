using Microsoft.IdentityModel.Tokens;

namespace BotEngine.Channels.BotFramework;

/// <summary>One of the Connector's signing keys and the channels it may sign for (its JWK's <c>endorsements</c>).</summary>
public sealed record ConnectorSigningKey(JsonWebKey Key, IReadOnlySet<string> Endorsements);
