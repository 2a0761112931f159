package org.flamenco.worker.command.blender;

import java.util.ArrayList;
import java.util.List;

import org.flamenco.worker.command.PythonText;

/**
 * The Python scripts the worker generates for Blender (commands.md §3.14, §3.16, §3.17, §4.5). Values are embedded
 * as Python literals ({@link PythonText#repr}), so paths with quotes or backslashes cannot break the script.
 */
public final class BlenderScripts {
    private BlenderScripts() {
    }

    /** §3.14: the mixdown script, lines joined with {@code \n}, no trailing newline. */
    public static String audioMixdown(AudioSettings s) {
        List<String> lines = new ArrayList<>();
        lines.add("import bpy");
        s.frameStart().ifPresent(f -> lines.add("bpy.context.scene.frame_start = " + f));
        s.frameEnd().ifPresent(f -> lines.add("bpy.context.scene.frame_end = " + f));
        lines.add("bpy.ops.sound.mixdown(filepath=" + PythonText.repr(s.render().renderOutput())
                + ", codec='FLAC', container='FLAC', accuracy=128)");
        lines.add("bpy.ops.wm.quit_blender()");
        return String.join("\n", lines);
    }

    /** §3.16: merge two EXR files into {@code <tempDir>/merged0001.exr}. */
    public static String mergeFiles(MergeSettings s, String tempDir) {
        return compositorSetup(s)
                + "scene.frame_start = 1\n"
                + "scene.frame_end = 1\n"
                + "scene.frame_set(1)\n"
                + "bpy.ops.render.render()\n"
                + "bpy.data.images['Render Result'].save_render(filepath=" + PythonText.repr(tempDir + "/merged0001.exr")
                + ")\n";
    }

    /** §3.17: merge two EXR sequences frame by frame, rendering the animation straight to {@code output}. */
    public static String mergeSequence(MergeSequenceSettings s) {
        long start = s.frameStart();
        return compositorSetup(s.merge())
                + "for node in (img1, img2):\n"
                + "    node.image.source = 'SEQUENCE'\n"
                + "    node.frame_duration = " + s.frameCount() + "\n"
                + "    node.frame_start = " + start + "\n"
                + "    node.frame_offset = " + (start - 1) + "\n"
                + "scene.frame_start = " + start + "\n"
                + "scene.frame_end = " + s.frameEnd() + "\n"
                + "render.filepath = " + PythonText.repr(s.merge().output()) + "\n"
                + "bpy.ops.render.render(animation=True)\n";
    }

    /**
     * The compositor of the original {@code merge-exr.blend}, built in the default scene: colour =
     * (image1 × weight1 + image2 × weight2) ÷ (weight1 + weight2), alpha from image1 (mix nodes keep the alpha of
     * their first input), no clamping; render size = image1's size at 100 %; 32-bit RGBA OpenEXR with ZIP.
     */
    private static String compositorSetup(MergeSettings s) {
        return "import bpy\n"
                + "scene = bpy.context.scene\n"
                + "scene.render.engine = 'BLENDER_WORKBENCH'\n"
                + "scene.use_nodes = True\n"
                + "tree = scene.node_tree\n"
                + "tree.nodes.clear()\n"
                + "def image_node(path):\n"
                + "    node = tree.nodes.new('CompositorNodeImage')\n"
                + "    node.image = bpy.data.images.load(path, check_existing=False)\n"
                + "    return node\n"
                + "def value_node(name, value):\n"
                + "    node = tree.nodes.new('CompositorNodeValue')\n"
                + "    node.name = node.label = name\n"
                + "    node.outputs[0].default_value = value\n"
                + "    return node\n"
                + "def mix_node(blend_type, a, b):\n"
                + "    node = tree.nodes.new('CompositorNodeMixRGB')\n"
                + "    node.blend_type = blend_type\n"
                + "    node.use_clamp = False\n"
                + "    node.use_alpha = False\n"
                + "    tree.links.new(a, node.inputs[1])\n"
                + "    tree.links.new(b, node.inputs[2])\n"
                + "    return node\n"
                + "img1 = image_node(" + PythonText.repr(s.input1()) + ")\n"
                + "img2 = image_node(" + PythonText.repr(s.input2()) + ")\n"
                + "w1 = value_node('weight1', " + s.weight1() + ")\n"
                + "w2 = value_node('weight2', " + s.weight2() + ")\n"
                + "total = tree.nodes.new('CompositorNodeMath')\n"
                + "total.operation = 'ADD'\n"
                + "total.use_clamp = False\n"
                + "tree.links.new(w1.outputs[0], total.inputs[0])\n"
                + "tree.links.new(w2.outputs[0], total.inputs[1])\n"
                + "mul1 = mix_node('MULTIPLY', img1.outputs['Image'], w1.outputs[0])\n"
                + "mul2 = mix_node('MULTIPLY', img2.outputs['Image'], w2.outputs[0])\n"
                + "added = mix_node('ADD', mul1.outputs[0], mul2.outputs[0])\n"
                + "divided = mix_node('DIVIDE', added.outputs[0], total.outputs[0])\n"
                + "composite = tree.nodes.new('CompositorNodeComposite')\n"
                + "composite.use_alpha = True\n"
                + "tree.links.new(divided.outputs[0], composite.inputs['Image'])\n"
                + "render = scene.render\n"
                + "render.resolution_x, render.resolution_y = img1.image.size\n"
                + "render.resolution_percentage = 100\n"
                + "render.use_compositing = True\n"
                + "render.use_sequencer = False\n"
                + "render.image_settings.file_format = 'OPEN_EXR'\n"
                + "render.image_settings.color_mode = 'RGBA'\n"
                + "render.image_settings.color_depth = '32'\n"
                + "render.image_settings.exr_codec = 'ZIP'\n";
    }
}
