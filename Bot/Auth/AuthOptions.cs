using BotEngine.Http;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using BotEngine.Engine.Desk;
using BotEngine.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Auth;

public sealed class AuthOptions
{
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);
}
