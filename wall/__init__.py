"""The wall display (màn hình trình chiếu): playlist configuration, the data its scenes
show, pure builders of what each scene says, and the one-page PDF brief. No Dash here;
the page is built by layouts/wall/ and wired by callbacks/wall/."""
