using BotEngine.Http;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using BotEngine.Engine.Desk;
using BotEngine.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Auth;

public static class PrincipalExtensions
{
    public static string OperatorId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not an operator.");
}
