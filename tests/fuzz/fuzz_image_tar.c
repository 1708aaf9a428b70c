/*
 * fuzz_image_tar.c - the image reader (src/source/image/) on a whole saved
 * image: the input is the archive `podman save` would have written
 * (docker-archive, oci-archive, or anything libarchive detects, compressed
 * or not), in a memfd.  It is read twice:
 *   - ls_image_scan_fd(): the one-pass reader (pipes, standard input);
 *   - ls_image_scan_path() on /proc/self/fd/N: a regular file, so the
 *     two-pass reader with layers read from their offsets is tried first.
 * Both must agree on the number of findings when neither met an error
 * (image.h: the two-pass reader records what the one-pass reader would).
 * Both fill an inventory, and the production and distroless policy checks
 * (src/policy) then run on it, as `layerscan image --policy` does.
 */
#include "fuzz.h"
#include "policy/policy.h"
#include "source/image/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ls_image_opts o1 = { -1 }, o2 = { -1 };
	struct ls_policy_opts po = {
		.sets = LS_POLICY_PRODUCTION | LS_POLICY_DISTROLESS,
		.max_size = 1 << 20,
		.user = "1000",
	};
	struct ls_inventory inv1, inv2;
	struct ls_scan s1, s2;
	struct ls_err e1, e2;
	char path[64];
	int fd = fuzz_memfd(data, size), r1, r2;

	ls_inventory_init(&inv1);
	ls_inventory_init(&inv2);
	o1.inv = &inv1;
	o2.inv = &inv2;
	fuzz_scan_init(&s1);
	ls_err_clear(&e1);
	r1 = ls_image_scan_fd(&s1, fd, "image.tar", &o1, &e1);
	if (r1 && !e1.msg[0])
		fuzz_die("one-pass: error without a message");

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	fuzz_scan_init(&s2);
	ls_err_clear(&e2);
	r2 = ls_image_scan_path(&s2, path, "image.tar", &o2, &e2);
	if (r2 && !e2.msg[0])
		fuzz_die("two-pass: error without a message");
	close(fd);

	if (!r1 && !r2 && !s1.errors.n && !s2.errors.n &&
	    s1.findings.n != s2.findings.n) {
		fprintf(stderr, "one-pass: %zu findings, two-pass: %zu\n",
			s1.findings.n, s2.findings.n);
		fuzz_die("the two readers disagree");
	}
	if (!r1)
		ls_policy_check_image(&s1, &inv1, &po);
	if (!r2)
		ls_policy_check_image(&s2, &inv2, &po);
	if (!r1 && !r2 && !s1.errors.n && !s2.errors.n &&
	    s1.findings.n != s2.findings.n) {
		fprintf(stderr, "policy: one-pass: %zu findings, two-pass: %zu\n",
			s1.findings.n, s2.findings.n);
		fuzz_die("the two inventories disagree");
	}
	ls_inventory_release(&inv1);
	ls_inventory_release(&inv2);
	fuzz_debug(&s1, "one-pass");
	fuzz_debug(&s2, "two-pass");
	ls_scan_release(&s1);
	ls_scan_release(&s2);
	return 0;
}
