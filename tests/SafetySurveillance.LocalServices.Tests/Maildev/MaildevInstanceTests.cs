using System.Net.Mail;
using SafetySurveillance.LocalServices.Maildev;
using SafetySurveillance.TestInfrastructure;
using Xunit;

namespace SafetySurveillance.LocalServices.Tests.Maildev;

public sealed class MaildevInstanceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MaildevOptions Options(string? mailDirectory = null) =>
        new() { NodeModulesDirectory = RepositoryPaths.NodeModules, MailDirectory = mailDirectory };

    [Fact]
    public async Task A_message_sent_over_SMTP_is_listed_by_the_REST_API_with_headers_body_and_envelope()
    {
        await using var maildev = await MaildevInstance.StartAsync(Options(), Ct);
        using var client = maildev.CreateClient();

        await SendAsync(maildev, "lead@trust.test", "Alarm: death sentinel", "Body text", "<probe-1@safety.test>");
        var emails = await client.WaitForEmailsAsync(e => e.Count == 1, Wait, Ct);

        var email = Assert.Single(emails);
        Assert.Equal("Alarm: death sentinel", email.Subject);
        Assert.Equal("alerts@safety.test", Assert.Single(email.From).Address);
        Assert.Equal("lead@trust.test", Assert.Single(email.To).Address);
        Assert.Equal(["lead@trust.test"], email.EnvelopeRecipients);
        Assert.Equal("<probe-1@safety.test>", email.MessageId);
        Assert.Contains("Body text", email.Text, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", maildev.WebEndpoint.Host);
    }

    [Fact]
    public async Task Delete_all_empties_the_inbox()
    {
        await using var maildev = await MaildevInstance.StartAsync(Options(), Ct);
        using var client = maildev.CreateClient();
        await SendAsync(maildev, "a@trust.test", "one");
        await SendAsync(maildev, "b@trust.test", "two");
        await client.WaitForEmailsAsync(e => e.Count == 2, Wait, Ct);

        await client.DeleteAllAsync(Ct);

        Assert.Empty(await client.ListEmailsAsync(Ct));
    }

    [Fact]
    public async Task Two_instances_run_side_by_side_with_separate_inboxes()
    {
        await using var first = await MaildevInstance.StartAsync(Options(), Ct);
        await using var second = await MaildevInstance.StartAsync(Options(), Ct);
        using var firstClient = first.CreateClient();
        using var secondClient = second.CreateClient();

        await SendAsync(first, "only-first@trust.test", "first");
        await firstClient.WaitForEmailsAsync(e => e.Count == 1, Wait, Ct);

        Assert.NotEqual(first.SmtpPort, second.SmtpPort);
        Assert.NotEqual(first.MailDirectory, second.MailDirectory);
        Assert.Empty(await secondClient.ListEmailsAsync(Ct));
    }

    [Fact]
    public async Task Messages_survive_a_restart_on_the_same_mail_directory()
    {
        var folder = Directory.CreateTempSubdirectory("maildev-keep-").FullName;
        try
        {
            await using (var first = await MaildevInstance.StartAsync(Options(folder), Ct))
            {
                using var client = first.CreateClient();
                await SendAsync(first, "kept@trust.test", "kept");
                await client.WaitForEmailsAsync(e => e.Count == 1, Wait, Ct);
                await first.StopAsync(Ct);
                Assert.False(first.IsRunning);
            }

            await using var second = await MaildevInstance.StartAsync(Options(folder), Ct);
            using var secondClient = second.CreateClient();
            var emails = await secondClient.ListEmailsAsync(Ct);

            Assert.Equal("kept", Assert.Single(emails).Subject);
            Assert.True(Directory.Exists(folder), "A mail directory the caller chose is never deleted.");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Dispose_stops_the_process_and_deletes_the_throw_away_mail_directory()
    {
        var maildev = await MaildevInstance.StartAsync(Options(), Ct);
        var folder = maildev.MailDirectory;
        var smtp = maildev.SmtpPort;
        Assert.True(maildev.IsRunning);

        await maildev.DisposeAsync();

        Assert.False(maildev.IsRunning);
        Assert.False(Directory.Exists(folder));
        Assert.False(await LocalServices.Processes.FreePort.IsListeningAsync(smtp, Ct));
    }

    [Fact]
    public async Task A_missing_package_fails_with_a_message_naming_the_install_step()
    {
        var empty = Directory.CreateTempSubdirectory("no-node-modules-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<MaildevStartException>(() => MaildevInstance.StartAsync(new MaildevOptions { NodeModulesDirectory = empty }, Ct));
            Assert.Contains("npm ci", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task A_port_held_by_another_process_fails_the_start_instead_of_passing_for_maildev()
    {
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        var web = LocalServices.Processes.FreePort.Next(1)[0];

        var error = await Assert.ThrowsAsync<MaildevStartException>(() =>
            MaildevInstance.StartAsync(Options() with { Ports = new MaildevPorts(port, web) }, Ct));

        Assert.Contains("EADDRINUSE", error.Message, StringComparison.Ordinal);
    }

    private static async Task SendAsync(MaildevInstance maildev, string to, string subject, string body = "text", string? messageId = null)
    {
        using var smtp = new SmtpClient(MaildevInstance.Host, maildev.SmtpPort);
        using var message = new MailMessage("alerts@safety.test", to, subject, body);
        if (messageId is not null)
        {
            message.Headers.Add("Message-Id", messageId);
        }

        await smtp.SendMailAsync(message, Ct);
    }
}
