package dev.sliceplane.cli.commands;

import dev.sliceplane.cli.Environment;
import dev.sliceplane.cli.http.ApiPath;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code member add|remove <slice> <email>}: who may use a slice. */
@Command(name = "member", description = "A slice's members: who may use it.",
        subcommands = {MemberCommands.AddMember.class, MemberCommands.RemoveMember.class})
final class MemberCommands {

    private MemberCommands() {
    }

    static ApiPath member(String slice, String email) {
        return ApiPath.accounts("slices", slice, "members", email);
    }

    @Command(name = "add", description = "Adds a member to a slice (admin; a PI of the slice's site).")
    static final class AddMember extends ApiCommand {
        @Parameters(index = "0", paramLabel = "SLICE")
        String slice;

        @Parameters(index = "1", paramLabel = "EMAIL")
        String email;

        AddMember(Environment env) {
            super(env);
        }

        @Override
        void run() {
            printer().changed(api().put(member(slice, email), null), "added " + email + " to slice " + slice);
        }
    }

    @Command(name = "remove", description = "Removes a member from a slice (admin; a PI of its site; members may remove themselves).")
    static final class RemoveMember extends ApiCommand {
        @Parameters(index = "0", paramLabel = "SLICE")
        String slice;

        @Parameters(index = "1", paramLabel = "EMAIL")
        String email;

        RemoveMember(Environment env) {
            super(env);
        }

        @Override
        void run() {
            printer().changed(api().delete(member(slice, email)), "removed " + email + " from slice " + slice);
        }
    }
}
