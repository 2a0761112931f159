"""Flamenco Worker helper for the exr_sequence_to_jpeg command (commands.md section 3.15).

Run inside Blender:
    blender <file.blend> --python exr_sequence_to_jpeg.py -- --exr-glob <glob> --output-pattern <pattern>

Renders the EXR files matching the glob, through the sequencer of a new scene, to JPEG files next to them.
The blend file provides the colour management. Fails (non-zero exit) when no file matches.
"""

import argparse
import fnmatch
import pathlib
import re
import sys

import bpy


def parse_args():
    argv = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    parser = argparse.ArgumentParser(prog="exr_sequence_to_jpeg")
    parser.add_argument("--exr-glob", required=True)
    parser.add_argument("--output-pattern", required=True)
    return parser.parse_args(argv)


def matching_files(glob):
    pattern = pathlib.Path(glob)
    directory = pattern.parent
    if not directory.is_dir():
        return directory, []
    files = sorted(p for p in directory.iterdir() if p.is_file() and fnmatch.fnmatchcase(p.name, pattern.name))
    return directory, files


def frame_number(path):
    match = re.search(r"(\d+)$", path.stem)
    if not match:
        raise RuntimeError("Unable to find a frame number in %s" % path.name)
    return int(match.group(1))


def copy_colour_management(source, target):
    target.display_settings.display_device = source.display_settings.display_device
    target.view_settings.view_transform = source.view_settings.view_transform
    target.view_settings.look = source.view_settings.look
    target.view_settings.exposure = source.view_settings.exposure
    target.view_settings.gamma = source.view_settings.gamma


def main():
    args = parse_args()
    directory, files = matching_files(args.exr_glob)
    if not files:
        print("No files found for pattern %s" % args.exr_glob)
        raise RuntimeError("No files found for pattern %s" % args.exr_glob)

    source_scene = bpy.context.scene
    scene = bpy.data.scenes.new("flamenco-exr-to-jpeg")
    copy_colour_management(source_scene, scene)
    editor = scene.sequence_editor_create()
    strips = getattr(editor, "strips", None) or editor.sequences

    frames = []
    for path in files:
        frame = frame_number(path)
        frames.append(frame)
        strips.new_image(name=path.name, filepath=str(path), channel=1, frame_start=frame)

    first_image = bpy.data.images.load(str(files[0]), check_existing=True)
    render = scene.render
    render.resolution_x, render.resolution_y = first_image.size
    render.resolution_percentage = 100
    render.use_sequencer = True
    render.use_compositing = False
    render.use_overwrite = True
    render.image_settings.file_format = "JPEG"
    render.image_settings.quality = 90
    render.filepath = str(directory / args.output_pattern)
    scene.frame_start = min(frames)
    scene.frame_end = max(frames)

    bpy.ops.render.render(animation=True, scene=scene.name)
    bpy.ops.wm.quit_blender()


main()
