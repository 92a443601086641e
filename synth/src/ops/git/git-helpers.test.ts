import { afterEach, describe, expect, it } from 'vitest';
import { type TempRepo, tempRepo } from '../../../test/temp-repo';
import { Git } from '../../domain/git';
import { assertCommittable, commitPaths } from './commit';
import { environmentHistory, imagesVerifiedIn } from './history';
import { moveToRemoteHead, pushHead, pushTarget } from './push';
import { commitMessage, parseTrailers } from './trailers';

const env = (tag: string, extra = '') => `name: dev\nimage:\n  tag: "${tag}"\n${extra}`;
let repo: TempRepo;
afterEach(() => repo?.cleanup());

describe('commitMessage', () => {
  it('should end with the trailers paragraph that git itself parses', () => {
    repo = tempRepo({ 'environments/dev.yaml': env('1.0.0') });
    const message = commitMessage('dev: bump to 1.0.1', ['Bumped by CI.'], {
      environment: 'dev',
      action: 'bump',
      image: 'registry.example.com/guestlist:1.0.1',
      reason: 'release 1.0.1',
    });
    expect(message).toBe(
      'dev: bump to 1.0.1\n\nBumped by CI.\n\nGuestlist-Environment: dev\nGuestlist-Action: bump\nGuestlist-Image: registry.example.com/guestlist:1.0.1\nGuestlist-Reason: release 1.0.1\n',
    );
    expect(Git.open(repo.dir).run(['interpret-trailers', '--parse'], message)).toBe(
      'Guestlist-Environment: dev\nGuestlist-Action: bump\nGuestlist-Image: registry.example.com/guestlist:1.0.1\nGuestlist-Reason: release 1.0.1\n',
    );
    repo.write('environments/dev.yaml', env('1.0.1'));
    commitPaths(Git.open(repo.dir), ['environments/dev.yaml'], message);
    const trailers = repo.git(['log', '-1', '--format=%(trailers:only,unfold)']);
    expect(parseTrailers(trailers)).toEqual({
      environment: 'dev',
      action: 'bump',
      image: 'registry.example.com/guestlist:1.0.1',
      reason: 'release 1.0.1',
    });
  });

  it('should refuse a value with a line break', () => {
    expect(() => commitMessage('s', [], { environment: 'dev', action: 'pin', reason: 'a\nb' })).toThrow(
      'trailer Guestlist-Reason: must be a single line',
    );
  });
});

describe('commitPaths', () => {
  it('should commit exactly the given paths and leave other staged and unstaged edits alone', () => {
    repo = tempRepo({ 'environments/dev.yaml': env('1.0.0'), 'other.txt': 'a\n', 'dist/dev/a.yaml': 'x\n' });
    repo.write('other.txt', 'staged\n');
    repo.git(['add', 'other.txt']);
    repo.write('notes.txt', 'untracked\n');
    repo.write('environments/dev.yaml', env('1.0.1'));
    repo.write('dist/dev/b.yaml', 'new\n');
    repo.git(['rm', '--quiet', 'dist/dev/a.yaml']);
    commitPaths(Git.open(repo.dir), ['environments/dev.yaml', 'dist/dev'], 'dev: bump\n');
    expect(repo.git(['show', '--name-status', '--format=', 'HEAD']).split('\n').sort()).toEqual([
      'A\tdist/dev/b.yaml',
      'D\tdist/dev/a.yaml',
      'M\tenvironments/dev.yaml',
    ]);
    expect(repo.git(['status', '--porcelain'])).toBe('M  other.txt\n?? notes.txt');
  });

  it('should refuse when a file to commit already has someone else’s changes', () => {
    repo = tempRepo({ 'environments/dev.yaml': env('1.0.0') });
    repo.write('environments/dev.yaml', env('1.0.0', 'logLevel: debug\n'));
    expect(() => assertCommittable(Git.open(repo.dir), ['environments/dev.yaml', 'dist/dev'])).toThrow(
      '--commit: environments/dev.yaml has uncommitted changes; commit or discard them first (the ops commit would include them)',
    );
  });
});

describe('push helpers', () => {
  it('should report a non-fast-forward as rejected, then move onto the new head keeping local edits', () => {
    repo = tempRepo({ 'environments/dev.yaml': env('1.0.0'), 'b.txt': 'b\n' });
    const other = repo.clone('other');
    repo.git(['commit', '--quiet', '--allow-empty', '-m', 'theirs'], other);
    repo.git(['push', '--quiet', 'origin', 'main'], other);
    const git = Git.open(repo.dir);
    const base = git.head() as string;
    repo.write('environments/dev.yaml', env('1.0.1'));
    commitPaths(git, ['environments/dev.yaml'], 'ours\n');
    repo.write('b.txt', 'local edit\n');
    const target = pushTarget(git);
    expect(target).toEqual({ remote: 'origin', branch: 'main' });
    expect(pushHead(git, target)).toBe('rejected');
    const head = moveToRemoteHead(git, target, base);
    expect(head).toBe(repo.git(['rev-parse', 'HEAD'], other));
    expect(repo.read('environments/dev.yaml')).toBe(env('1.0.0'));
    expect(repo.read('b.txt')).toBe('local edit\n');
    expect(pushHead(git, target)).toBe('pushed');
  });

  it('should refuse to move when that would drop another local commit', () => {
    repo = tempRepo({ 'a.txt': 'a\n' });
    const other = repo.clone('other');
    repo.git(['commit', '--quiet', '--allow-empty', '-m', 'theirs'], other);
    repo.git(['push', '--quiet', 'origin', 'main'], other);
    repo.git(['commit', '--quiet', '--allow-empty', '-m', 'unpushed work']);
    const git = Git.open(repo.dir);
    const base = git.head() as string;
    repo.git(['commit', '--quiet', '--allow-empty', '-m', 'ours']);
    expect(() => moveToRemoteHead(git, pushTarget(git), base)).toThrow(
      '--push: the branch has local commits that origin/main does not have; push or drop them first, then run the command again',
    );
  });
});

describe('environmentHistory', () => {
  it('should list trailer commits and manual image edits newest first, skipping unrelated edits', () => {
    repo = tempRepo({ 'environments/dev.yaml': env('1.0.0') });
    const git = Git.open(repo.dir);
    repo.write('environments/dev.yaml', env('1.0.1'));
    commitPaths(
      git,
      ['environments/dev.yaml'],
      commitMessage('bump', [], {
        environment: 'dev',
        action: 'bump',
        image: 'registry.example.com/guestlist:1.0.1',
      }),
    );
    repo.write('environments/dev.yaml', env('1.0.1', 'logLevel: debug\n'));
    commitPaths(git, ['environments/dev.yaml'], 'unrelated edit\n');
    repo.write('environments/dev.yaml', env('1.0.2', 'logLevel: debug\n'));
    commitPaths(git, ['environments/dev.yaml'], 'hand edit\n');
    const history = environmentHistory(git, 'dev');
    expect(history.map((h) => [h.action, h.image?.tag, h.previousImage, h.subject])).toEqual([
      ['manual', '1.0.2', 'registry.example.com/guestlist:1.0.1', 'hand edit'],
      ['bump', '1.0.1', undefined, 'bump'],
      ['manual', '1.0.0', undefined, 'initial'],
    ]);
  });

  it('should find the images a verified promotion out of the environment carried', () => {
    repo = tempRepo({
      'environments/dev.yaml': env('1.0.0'),
      'environments/staging.yaml': 'name: staging\n',
    });
    const git = Git.open(repo.dir);
    for (const [tag, verified] of [
      ['1.0.0', 'passed'],
      ['1.0.1', 'skipped'],
    ] as const) {
      repo.write('environments/staging.yaml', `name: staging\nimage:\n  tag: "${tag}"\n`);
      commitPaths(
        git,
        ['environments/staging.yaml'],
        commitMessage('promote', [], {
          environment: 'staging',
          action: 'promote',
          image: `registry.example.com/guestlist:${tag}`,
          source: 'dev',
          verified,
        }),
      );
    }
    expect([...imagesVerifiedIn(git, 'dev').keys()]).toEqual(['registry.example.com/guestlist:1.0.0']);
    expect(imagesVerifiedIn(git, 'staging').size).toBe(0);
  });
});
