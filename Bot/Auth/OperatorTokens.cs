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

/// <param name="Version">The operator's token version when it was issued; a token from before logout, a password
/// change or disabling carries an older one and is refused. Tokens from before versions existed read as 0.</param>
public sealed record OperatorClaims(
    [property: JsonPropertyName("sub")] string OperatorId,
    [property: JsonPropertyName("exp")] long ExpiresAt,
    [property: JsonPropertyName("typ")] string Type,
    [property: JsonPropertyName("ver")] long Version = 0);

/// <summary>What a valid token says: whose it is and which of their sessions' versions.</summary>
public sealed record OperatorSession(string OperatorId, long Version);

/// <summary>Issues and checks the bearer tokens operators use for the REST API and pages.</summary>
public sealed class OperatorTokens(SignedTokens tokens, TimeProvider time, IOptions<AuthOptions> options)
{
    private const string TokenType = "operator";

    public (string Token, DateTimeOffset ExpiresAt) Issue(string operatorId, long version)
    {
        var expires = time.GetUtcNow() + options.Value.TokenLifetime;
        return (tokens.Issue(new OperatorClaims(operatorId, expires.ToUnixTimeSeconds(), TokenType, version)), expires);
    }

    /// <summary>The session a well-signed, unexpired token names; whether that session is still current is the caller's check.</summary>
    public OperatorSession? Validate(string token) =>
        tokens.TryRead<OperatorClaims>(token, out var claims) && claims!.Type == TokenType
            && claims.ExpiresAt > time.GetUtcNow().ToUnixTimeSeconds()
            ? new OperatorSession(claims.OperatorId, claims.Version)
            : null;
}

/// <summary>
/// Accepts an operator token from the Authorization header, or from the <c>botengine_token</c> cookie that sign-in
/// sets (HttpOnly, so page scripts never hold the token). The operator's row is read on every call, so a permission
/// change, a disabled account or a revoked session (token version raised) applies at once.
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
    /// <summary>The token version the request was authenticated with, for long-lived requests that re-check it.</summary>
    public const string SessionVersionClaim = "ver";

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

        var session = tokens.Validate(token);
        if (session is null)
            return AuthenticateResult.Fail("The token is invalid or expired; sign in again.");
        var row = await accounts.FindAsync(session.OperatorId, Context.RequestAborted);
        if (row is null)
            return AuthenticateResult.Fail("The operator no longer exists.");
        if (row.DisabledAt is not null)
            return AuthenticateResult.Fail("This operator account is disabled.");
        if (row.TokenVersion != session.Version)
            return AuthenticateResult.Fail("This session has ended (signed out, password changed or access revoked); sign in again.");

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, row.Id),
            new(ClaimTypes.Name, row.Login),
            new(SessionVersionClaim, row.TokenVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        claims.AddRange(row.PermissionNames().Select(p => new Claim(PermissionClaim.Type, p)));
        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        // A cookie that no longer signs anyone in is of no use to the browser; the page cannot delete an HttpOnly one itself.
        if (result.Failure is not null && Request.Cookies.ContainsKey(CookieName))
            OperatorCookie.Delete(Context);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var detail = result.Failure is { } failure
            ? failure.Message
            : "A valid operator token is required: POST /api/v1/auth/token, then send 'Authorization: Bearer <token>'.";
        await Results.Problem(statusCode: 401, title: "Unauthorized", detail: detail).ExecuteAsync(Context);
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

/// <summary>The operator page's session cookie: set by sign-in, removed by sign-out; scripts cannot read it.</summary>
public static class OperatorCookie
{
    public static void Append(HttpContext context, string token, DateTimeOffset expiresAt) =>
        context.Response.Cookies.Append(OperatorTokenHandler.CookieName, token, Options(context, expiresAt));

    public static void Delete(HttpContext context) =>
        context.Response.Cookies.Delete(OperatorTokenHandler.CookieName, Options(context, null));

    private static CookieOptions Options(HttpContext context, DateTimeOffset? expiresAt) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        Expires = expiresAt,
    };
}
