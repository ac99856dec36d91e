using BotEngine.Http;
using BotEngine.Channels.DirectLine;
using BotEngine.Storage;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot;

/// <summary>Signing material that must be the same across restarts and nodes, kept in the settings table.</summary>
public sealed class EngineSecrets(SettingsStore settings, IOptions<DirectLineOptions> directLine, TimeProvider time)
{
    private SignedTokens? _operatorTokens;
    private DirectLineAuth? _directLine;

    public SignedTokens OperatorTokenSigner => _operatorTokens ?? throw new InvalidOperationException("Secrets are not loaded yet.");

    public DirectLineAuth DirectLine => _directLine ?? throw new InvalidOperationException("Secrets are not loaded yet.");

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var signing = await settings.GetOrCreateAsync("auth.signing_key", () => SignedTokens.NewSecret(), cancellationToken);
        _operatorTokens = new SignedTokens(Convert.FromBase64String(signing.Replace('-', '+').Replace('_', '/').PadRight((signing.Length + 3) / 4 * 4, '=')));
        var secret = directLine.Value.Secret;
        if (string.IsNullOrWhiteSpace(secret))
            secret = await settings.GetOrCreateAsync("directline.secret", () => SignedTokens.NewSecret(), cancellationToken);
        _directLine = new DirectLineAuth(secret, directLine.Value.TokenLifetime, time);
    }
}
