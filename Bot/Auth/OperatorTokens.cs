using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using BotEngine.Bot.Routing;
using BotEngine.Bot.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Auth;

public sealed class AuthOptions
{
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);
}

public sealed record OperatorClaims(
    [property: JsonPropertyName("sub")] string OperatorId,
    [property: JsonPropertyName("exp")] long ExpiresAt,
    [property: JsonPropertyName("typ")] string Type);

/// <summary>Issues and checks the bearer tokens operators use for the REST API and pages.</summary>
public sealed class OperatorTokens(SignedTokens tokens, TimeProvider time, IOptions<AuthOptions> options)
{
    private const string TokenType = "operator";

    public (string Token, DateTimeOffset ExpiresAt) Issue(string operatorId)
    {
        var expires = time.GetUtcNow() + options.Value.TokenLifetime;
        return (tokens.Issue(new OperatorClaims(operatorId, expires.ToUnixTimeSeconds(), TokenType)), expires);
    }

    public string? Validate(string token) =>
        tokens.TryRead<OperatorClaims>(token, out var claims) && claims!.Type == TokenType
            && claims.ExpiresAt > time.GetUtcNow().ToUnixTimeSeconds()
            ? claims.OperatorId
            : null;
}

/// <summary>
/// Accepts an operator token from the Authorization header, or from the <c>botengine_token</c> cookie that the
/// operator page sets (EventSource cannot send headers). Permissions are read from the database on every call,
/// so a change applies at once.
/// </summary>
public sealed class OperatorTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    OperatorTokens tokens,
    OperatorAccounts accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "OperatorToken";
    public const string CookieName = "botengine_token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Direct Line carries its own bearer credentials; operator tokens only mean something on the API.
        if (!Request.Path.StartsWithSegments("/api"))
            return AuthenticateResult.NoResult();
        string? token = null;
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            token = header["Bearer ".Length..].Trim();
        else if (Request.Cookies.TryGetValue(CookieName, out var cookie))
            token = cookie;
        if (string.IsNullOrEmpty(token))
            return AuthenticateResult.NoResult();

        var operatorId = tokens.Validate(token);
        if (operatorId is null)
            return AuthenticateResult.Fail("The token is invalid or expired.");
        var row = await accounts.FindAsync(operatorId, Context.RequestAborted);
        if (row is null)
            return AuthenticateResult.Fail("The operator no longer exists.");

        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, row.Id), new(ClaimTypes.Name, row.Login) };
        claims.AddRange(row.PermissionNames().Select(p => new Claim(PermissionClaim.Type, p)));
        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await Results.Problem(statusCode: 401, title: "Unauthorized",
            detail: "A valid operator token is required: POST /api/v1/auth/token, then send 'Authorization: Bearer <token>'.")
            .ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(statusCode: 403, title: "Forbidden", detail: "Your role does not allow this action.").ExecuteAsync(Context);
    }
}

public static class PrincipalExtensions
{
    public static string OperatorId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not an operator.");
}
