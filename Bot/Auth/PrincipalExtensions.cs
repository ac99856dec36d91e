using System.Security.Claims;

namespace BotEngine.Bot.Auth;

public static class PrincipalExtensions
{
    public static string OperatorId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not an operator.");
}
